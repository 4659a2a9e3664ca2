package studio.nexus.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Password hashing (bcrypt) and the rules a new password must meet. Thread-safe and immutable.
 *
 * <p>bcrypt only reads 72 bytes; longer passwords are first reduced with SHA-512 (the library's long-password
 * strategy) instead of being silently cut, so two long passphrases sharing their first 72 bytes stay different.
 * Passwords are capped at {@link #MAX_LENGTH} characters so nobody makes the server hash megabytes.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    private static final LongPasswordStrategy LONG_PASSWORDS = LongPasswordStrategies.hashSha512(VERSION);

    private final int cost;
    private final Set<String> common;
    /** Verified against when the account does not exist, so a miss costs the same time as a wrong password. */
    private final String dummyHash;

    public Passwords(int cost) {
        if (cost < 10 || cost > 16) {
            throw new IllegalArgumentException("bcrypt cost must be 10–16");
        }
        this.cost = cost;
        this.common = loadCommonPasswords();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.dummyHash = hash(java.util.HexFormat.of().formatHex(random));
    }

    public String hash(String password) {
        return BCrypt.with(VERSION, new SecureRandom(), LONG_PASSWORDS).hashToString(cost, password.toCharArray());
    }

    /** True when {@code password} matches {@code hash}; with no hash (no such account) a dummy is checked. */
    public boolean verify(String password, String hash) {
        boolean known = hash != null && hash.startsWith("$2");
        BCrypt.Result result = BCrypt.verifyer(VERSION, LONG_PASSWORDS)
                .verify(password.toCharArray(), known ? hash : dummyHash);
        return known && result.verified;
    }

    /** What is wrong with a new password, in words, or empty when it is acceptable. */
    public Optional<String> problemWith(String password, String email, String username) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters long");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.contains(lower)) {
            return Optional.of("is one of the most common passwords; choose another");
        }
        if ((username != null && lower.equals(username.toLowerCase(Locale.ROOT)))
                || (email != null && (lower.equals(email) || lower.equals(email.substring(0, Math.max(0, email.indexOf('@'))))))) {
            return Optional.of("must not be your email or username");
        }
        return Optional.empty();
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> words = new HashSet<>();
        try (InputStream in = Passwords.class.getResourceAsStream("/auth/common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /auth/common-passwords.txt");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
