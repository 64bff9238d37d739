package dev.xssab.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP basic authentication on the servers' side (the registry, the UI): the user and password of
 * an {@code Authorization: Basic ...} header, and passwords kept and compared as SHA-256 only.
 *
 * @param user the user named by the header
 * @param password the password it carries
 */
public record BasicCredentials(String user, String password) {
    /** The credentials of an {@code Authorization} header, or empty if it is absent or not basic. */
    public static Optional<BasicCredentials> fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? Optional.empty() : Optional.of(new BasicCredentials(decoded.substring(0, colon),
                decoded.substring(colon + 1)));
    }

    /** SHA-256 of a password, the only form in which servers keep it. */
    public static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code password} hashes to {@code known}. The comparison takes the same time for an
     * unknown user ({@code known} null), so timing does not tell which user names exist.
     */
    public static boolean matches(byte[] known, String password) {
        boolean equal = MessageDigest.isEqual(known == null ? new byte[32] : known, sha256(password));
        return known != null && equal;
    }
}
