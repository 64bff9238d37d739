package dev.xssab.ui;

import dev.xssab.observability.BasicCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the UI: users from a file of {@code user:password} lines (kept as SHA-256 only once
 * read), and the sessions they opened by logging in. A request authenticates with its session
 * cookie or with HTTP basic authentication (for scripts).
 */
public final class UiUsers {
    private final Map<String, byte[]> passwords;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private UiUsers(Map<String, byte[]> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** Reads {@code user:password} lines; blank lines and # comments are skipped. */
    public static UiUsers read(Path file) throws IOException {
        Map<String, byte[]> users = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + ": expected user:password lines");
            }
            users.put(l.substring(0, colon), BasicCredentials.sha256(l.substring(colon + 1)));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(file + " names no user");
        }
        return new UiUsers(users);
    }

    /** A new file with one user and a random password (mode 600); returns the {@code user:password} line. */
    public static String create(Path file, String user) throws IOException {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        String line = user + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: the folder's permissions apply
        }
        return line;
    }

    public boolean check(String user, String password) {
        return BasicCredentials.matches(passwords.get(user), password);
    }

    /** A new session for a user who just logged in: its token goes into the cookie. */
    public String openSession(String user) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        sessions.put(token, user);
        return token;
    }

    /** The user of a session cookie or an {@code Authorization: Basic} header, or empty. */
    public Optional<String> authenticate(String sessionToken, String authorization) {
        if (sessionToken != null && sessions.containsKey(sessionToken)) {
            return Optional.of(sessions.get(sessionToken));
        }
        return BasicCredentials.fromHeader(authorization).filter(c -> check(c.user(), c.password())).map(BasicCredentials::user);
    }
}
