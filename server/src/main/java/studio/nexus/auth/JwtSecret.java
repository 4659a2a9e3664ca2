package studio.nexus.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import studio.nexus.Config;

/**
 * The key access tokens are signed with: {@code STUDIO_JWT_SECRET}, or in development a random key generated once
 * and kept in {@code <data>/jwt-secret} so tokens survive restarts. Production refuses to start without one.
 */
public final class JwtSecret {
    private JwtSecret() {}

    public static byte[] resolve(Config config) {
        if (config.jwtSecret().isPresent()) {
            byte[] secret = config.jwtSecret().get().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("STUDIO_JWT_SECRET must be at least 32 characters");
            }
            return secret;
        }
        if (!config.devMode()) {
            throw new IllegalArgumentException("STUDIO_JWT_SECRET is required when STUDIO_ENV=production");
        }
        Path file = config.dataDir().resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
            }
            Files.createDirectories(config.dataDir());
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, encoded, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the data directory's own permissions protect it
            }
            return encoded.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the development JWT secret in " + file, e);
        }
    }
}
