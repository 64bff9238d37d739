package dev.xssab.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's users for HTTP basic authentication, each with a role. Passwords are kept as
 * SHA-256 hex only. {@link Role#READ} may read (GET, look up a schema, test compatibility);
 * {@link Role#WRITE} may also register schemas and change compatibility.
 */
public final class RegistryUsers {
    /** What a user may do. */
    public enum Role {
        READ,
        WRITE
    }

    private record User(byte[] passwordSha256, Role role) {}

    private final Map<String, User> users;

    private RegistryUsers(Map<String, User> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * Reads lines {@code user:sha256-hex-of-password:read|write}; blank lines and lines starting
     * with # are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed entry
     */
    public static RegistryUsers read(Path file) throws IOException {
        Map<String, User> users = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":");
            if (parts.length != 3 || parts[1].length() != 64) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected user:sha256-hex:read|write");
            }
            Role role;
            try {
                role = Role.valueOf(parts[2].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": role must be read or write, not " + parts[2]);
            }
            users.put(parts[0], new User(HexFormat.of().parseHex(parts[1]), role));
        }
        return new RegistryUsers(users);
    }

    /** One line of a users file, for whoever creates the users. */
    public static String line(String user, String password, Role role) {
        return user + ":" + HexFormat.of().formatHex(sha256(password)) + ":" + role.name().toLowerCase(Locale.ROOT);
    }

    /** The role of the user an {@code Authorization: Basic ...} header authenticates, or empty. */
    public Optional<Role> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        User user = users.get(decoded.substring(0, colon));
        byte[] given = sha256(decoded.substring(colon + 1));
        // Compare even for an unknown user, so timing does not tell which user names exist.
        boolean match = MessageDigest.isEqual(given, user == null ? new byte[32] : user.passwordSha256());
        return user != null && match ? Optional.of(user.role()) : Optional.empty();
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
