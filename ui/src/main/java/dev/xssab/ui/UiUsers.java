package dev.xssab.ui;

import dev.xssab.observability.BasicCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the UI and in which {@link UiRole}: users from a file of
 * {@code user:pbkdf2-sha256$ITERATIONS$SALT$HASH:role} lines ({@link UiPasswords}), and the
 * sessions they opened by logging in. A request authenticates with its session cookie or with
 * HTTP basic authentication (for scripts). Older {@code user:password} lines still load, as
 * operators, with a warning.
 */
public final class UiUsers {
    private static final Logger LOG = LoggerFactory.getLogger(UiUsers.class);

    /** An authenticated user. */
    public record User(String name, UiRole role) {}

    private record Entry(UiPasswords.Stored password, UiRole role) {}

    private final Map<String, Entry> users;
    /**
     * SHA-256 of the password each user last authenticated with: a script sending basic
     * authentication with every request pays PBKDF2 once, not per request.
     */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final Map<String, User> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private UiUsers(Map<String, Entry> users) {
        this.users = Map.copyOf(users);
    }

    /**
     * Reads the users file; blank lines and # comments are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed entry (never its password)
     */
    public static UiUsers read(Path file) throws IOException {
        Map<String, Entry> users = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int legacy = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected user:" + UiPasswords.SCHEME + "$...:role");
            }
            String rest = l.substring(colon + 1);
            try {
                users.put(l.substring(0, colon), UiPasswords.isHash(rest) ? hashed(rest) : new Entry(
                        new UiPasswords.Legacy(BasicCredentials.sha256(rest)), UiRole.OPERATOR));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            legacy += UiPasswords.isHash(rest) ? 0 : 1;
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " names no user");
        }
        if (legacy > 0) {
            LOG.warn("{}: {} line(s) of user:password in plaintext, read as role operator; replace them with hashed lines"
                    + " (xssab ui add-user)", file, legacy);
        }
        return new UiUsers(users);
    }

    /** The rest of a hashed line: the password's field, a colon, the role. */
    private static Entry hashed(String rest) {
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected user:" + UiPasswords.SCHEME + "$...:role");
        }
        return new Entry(UiPasswords.parse(rest.substring(0, colon)), UiRole.parse(rest.substring(colon + 1)));
    }

    /** One line of a users file, the password hashed, for whoever creates users. */
    public static String line(String user, String password, UiRole role) {
        if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a UI user name is not empty and has no colon or space: '" + user + "'");
        }
        return user + ":" + UiPasswords.hash(password) + ":" + role.label();
    }

    /** A new file (mode 600) with one user and a random password; returns that password, which is kept nowhere else. */
    public static String create(Path file, String user, UiRole role) throws IOException {
        String password = UiPasswords.generate();
        String line = line(user, password, role);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
        ownerOnly(file);
        return password;
    }

    /**
     * Adds a user with a random password to a file (made, mode 600, if missing); returns the
     * password. A user the file already names is refused: change a password by editing the file.
     */
    public static String add(Path file, String user, UiRole role) throws IOException {
        if (!Files.exists(file)) {
            return create(file, user, role);
        }
        String existing = Files.readString(file, StandardCharsets.UTF_8);
        if (existing.lines().map(String::trim).anyMatch(l -> l.startsWith(user + ":"))) {
            throw new IllegalArgumentException(file + " already names user " + user);
        }
        String password = UiPasswords.generate();
        String line = line(user, password, role);
        String separator = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        Files.writeString(file, separator + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ownerOnly(file);
        return password;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the folder's permissions apply
        }
    }

    /** The user, if {@code password} is theirs; an unknown user costs as much time as a known one. */
    public Optional<User> check(String user, String password) {
        Entry entry = users.get(user);
        byte[] presented = BasicCredentials.sha256(password);
        byte[] known = verified.get(user);
        if (entry != null && known != null && MessageDigest.isEqual(known, presented)) {
            return Optional.of(new User(user, entry.role()));
        }
        boolean matches = (entry == null ? UiPasswords.NOBODY : entry.password()).matches(password);
        if (entry == null || !matches) {
            return Optional.empty();
        }
        verified.put(user, presented);
        return Optional.of(new User(user, entry.role()));
    }

    /** A new session for a user who just logged in: its token goes into the cookie. */
    public String openSession(User user) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        sessions.put(token, user);
        return token;
    }

    /** The user of a session cookie or an {@code Authorization: Basic} header, or empty. */
    public Optional<User> authenticate(String sessionToken, String authorization) {
        User session = sessionToken == null ? null : sessions.get(sessionToken);
        if (session != null) {
            return Optional.of(session);
        }
        return BasicCredentials.fromHeader(authorization).flatMap(c -> check(c.user(), c.password()));
    }
}
