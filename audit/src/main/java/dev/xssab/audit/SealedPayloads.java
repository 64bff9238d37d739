package dev.xssab.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of an explanation's payload (its faces and maps), with the JDK's AES-GCM:
 * each row gets a random 256-bit data key, the payload is encrypted under it (a random 96-bit
 * nonce; the row's requestId and Avro fingerprint as associated data, so a payload moved to
 * another row does not open), and the data key is wrapped under the key file's current key (the
 * requestId and the key id as associated data). Rotating the key file's key re-wraps 60 bytes a
 * row and leaves the payload as it is. Not thread-safe, as the {@link AuditStore} that holds it.
 */
final class SealedPayloads {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int DATA_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed payload as its row stores it: key_id, wrapped_key (nonce then GCM output), payload_nonce, avro_payload. */
    record Sealed(String keyId, byte[] wrappedKey, byte[] nonce, byte[] ciphertext) {}

    private AuditKeys keys;

    SealedPayloads(AuditKeys keys) {
        this.keys = keys;
    }

    /** The key new rows are wrapped under, as the file says now (rotate-key may have changed it while this store was open). */
    String currentKeyId() {
        keys = keys.reloadIfChanged();
        return keys.currentId();
    }

    Sealed seal(String requestId, long fingerprint, byte[] payload) {
        String keyId = currentKeyId();
        byte[] dataKey = random(DATA_KEY_BYTES);
        try {
            byte[] nonce = random(NONCE_BYTES);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), nonce, payloadAad(requestId, fingerprint),
                    payload);
            return new Sealed(keyId, wrap(requestId, keyId, dataKey), nonce, ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The payload of a sealed row; an {@link AuditKeyException} when this key file does not open it, never undecrypted bytes. */
    byte[] open(String requestId, long fingerprint, Sealed sealed) {
        byte[] dataKey = unwrap(requestId, sealed.keyId(), sealed.wrappedKey());
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), sealed.nonce(), payloadAad(requestId, fingerprint),
                    sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new AuditKeyException("explanation " + requestId + ": its images do not open with their data key (the row's payload,"
                    + " nonce or fingerprint was altered)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The row's data key wrapped under {@code toKeyId} instead of {@code keyId}; the payload stays as it is. */
    byte[] rewrap(String requestId, String keyId, byte[] wrappedKey, String toKeyId) {
        byte[] dataKey = unwrap(requestId, keyId, wrappedKey);
        try {
            return wrap(requestId, toKeyId, dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** An {@link AuditKeyException} unless this key file opens the data key (rotate-key checks each key in use before it changes anything). */
    void checkOpens(String requestId, String keyId, byte[] wrappedKey) {
        Arrays.fill(unwrap(requestId, keyId, wrappedKey), (byte) 0);
    }

    private byte[] wrap(String requestId, String keyId, byte[] dataKey) throws GeneralSecurityException {
        byte[] nonce = random(NONCE_BYTES);
        byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, keys.key(keyId), nonce, wrapAad(requestId, keyId), dataKey);
        return ByteBuffer.allocate(NONCE_BYTES + wrapped.length).put(nonce).put(wrapped).array();
    }

    private byte[] unwrap(String requestId, String keyId, byte[] wrappedKey) {
        SecretKey key = keys.key(keyId);
        if (key == null) {
            keys = keys.reloadIfChanged(); // rotate-key may have added it since this store was opened
            key = keys.key(keyId);
        }
        if (key == null) {
            throw new AuditKeyException("explanation " + requestId + " is sealed with key " + keyId + ", which the key file "
                    + keys.file() + " does not have (it has " + String.join(", ", keys.ids()) + "): wrong key file, or was "
                    + keyId + " removed before rotate-key re-wrapped every row?");
        }
        if (wrappedKey == null || wrappedKey.length <= NONCE_BYTES) {
            throw new AuditKeyException("explanation " + requestId + ": its wrapped data key is missing or cut short");
        }
        try {
            return gcm(Cipher.DECRYPT_MODE, key, Arrays.copyOf(wrappedKey, NONCE_BYTES), wrapAad(requestId, keyId),
                    Arrays.copyOfRange(wrappedKey, NONCE_BYTES, wrappedKey.length));
        } catch (AEADBadTagException e) {
            throw new AuditKeyException("explanation " + requestId + " does not open with key " + keyId + " of " + keys.file()
                    + ": wrong key file?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    /** The requestId (length-prefixed, so no two pairs give the same bytes), then the Avro fingerprint. */
    private static byte[] payloadAad(String requestId, long fingerprint) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + id.length + 8).putInt(id.length).put(id).putLong(fingerprint).array();
    }

    private static byte[] wrapAad(String requestId, String keyId) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + id.length + key.length).putInt(id.length).put(id).put(key).array();
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
