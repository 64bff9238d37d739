package dev.xssab.registry;

import dev.xssab.observability.BasicCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return user + ":" + HexFormat.of().formatHex(BasicCredentials.sha256(password)) + ":" + role.name().toLowerCase(Locale.ROOT);
    }

    /** The role of the user an {@code Authorization: Basic ...} header authenticates, or empty. */
    public Optional<Role> authenticate(String authorizationHeader) {
        return BasicCredentials.fromHeader(authorizationHeader).flatMap(c -> {
            User user = users.get(c.user());
            return BasicCredentials.matches(user == null ? null : user.passwordSha256(), c.password())
                    ? Optional.of(user.role()) : Optional.empty();
        });
    }
}
