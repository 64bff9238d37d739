package dev.xssab.ui;

import dev.xssab.observability.BasicCredentials;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How the users file keeps a password: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (the JDK's
 * PBKDF2WithHmacSHA256, salt and hash in base64), slow on purpose so that a stolen file does not
 * give its passwords away. A field of any other form is a legacy plaintext password, kept in
 * memory as SHA-256 only.
 */
final class UiPasswords {
    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A password as the file keeps it; {@link #matches} compares in constant time. */
    sealed interface Stored permits Pbkdf2, Legacy {
        boolean matches(String password);
    }

    /** A hashed password of the file. */
    record Pbkdf2(int iterations, byte[] salt, byte[] hash) implements Stored {
        @Override
        public boolean matches(String password) {
            return MessageDigest.isEqual(hash, pbkdf2(password, salt, iterations));
        }
    }

    /** A plaintext password of an older file. */
    record Legacy(byte[] sha256) implements Stored {
        @Override
        public boolean matches(String password) {
            return MessageDigest.isEqual(sha256, BasicCredentials.sha256(password));
        }
    }

    /** What an unknown user's password is checked against, so that the answer takes as long as for a known one. */
    static final Stored NOBODY = new Pbkdf2(ITERATIONS, salt(), new byte[HASH_BITS / 8]);

    private UiPasswords() {}

    /** The file's field for a new password, with a fresh salt. */
    static String hash(String password) {
        byte[] salt = salt();
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(pbkdf2(password, salt, ITERATIONS));
    }

    static boolean isHash(String field) {
        return field.startsWith(SCHEME + "$");
    }

    /**
     * A hashed field read back.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the field)
     */
    static Pbkdf2 parse(String field) {
        String[] parts = field.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("expected " + SCHEME + "$ITERATIONS$SALT$HASH");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || hash.length != HASH_BITS / 8) {
                throw new IllegalArgumentException("expected a positive iteration count and a 256-bit hash");
            }
            return new Pbkdf2(iterations, Base64.getDecoder().decode(parts[2]), hash);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iteration count is not a number", e);
        }
    }

    /** A random password for a new user: 24 URL-safe characters (144 bits). */
    static String generate() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
