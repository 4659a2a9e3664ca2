package studio.nexus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import studio.nexus.db.Identity;

/**
 * The one way tests make musicians. Most tests need someone signed in and get them straight from the database
 * ({@link #signedIn(TestServer, String)}, or {@link #named(String)} for a plan, an admin role or a public profile);
 * tests of the account flow itself sign up and in through the API ({@link #signUp}, {@link #signIn}). Either way the
 * test holds a {@link Musician}.
 */
public final class Musicians {
    /** The password of every musician signed up through the API. */
    public static final String PASSWORD = "Correct-Horse-Battery-9";

    private Musicians() {}

    /**
     * A musician: their ids, email and, when signed in, the access token of a live session (and its refresh token when
     * they signed in through the API). {@link #identity()} is who they are to the database.
     */
    public record Musician(UUID id, String username, String email, String token, String refreshToken,
                           UUID sessionId) {
        public Identity identity() {
            return Identity.user(id, sessionId);
        }
    }

    /** A musician with exactly this username (3–30 of a–z, 0–9, _), on the free plan, private profile, no roles. */
    public static Spec named(String username) {
        return new Spec(username);
    }

    /** A free-plan musician with this username, signed in: a live session and an access token for it. */
    public static Musician signedIn(TestServer server, String username) {
        return named(username).signedIn(server);
    }

    /** What a musician is made as; made in the database as the system, without going through sign-up. */
    public static final class Spec {
        private final String username;
        private boolean publicProfile;
        private String plan = "free";
        private boolean admin;

        private Spec(String username) {
            this.username = username;
        }

        public Spec publicProfile() {
            this.publicProfile = true;
            return this;
        }

        public Spec publicProfile(boolean shown) {
            this.publicProfile = shown;
            return this;
        }

        /** {@code free}, {@code pro} or {@code enterprise}. */
        public Spec plan(String tier) {
            this.plan = tier;
            return this;
        }

        public Spec pro() {
            return plan("pro");
        }

        public Spec enterprise() {
            return plan("enterprise");
        }

        public Spec admin() {
            this.admin = true;
            return this;
        }

        /**
         * Only the rows (account, profile, plan, role), no session: for tests of the data layer, which act as
         * {@link Musician#identity()} (its session id names no session row).
         */
        public Musician inDatabase(TestDatabase database) {
            UUID id = UUID.randomUUID();
            String email = username + "@example.test";
            database.insert("auth.users", Map.of("id", id, "email", email));
            database.update("""
                    INSERT INTO public.profiles (id, username, preferences)
                    VALUES (:id, :username, jsonb_build_object('profile_public', :public))""",
                    Map.of("id", id, "username", username, "public", publicProfile));
            if (!plan.equals("free")) {
                setPlan(database, id, plan);
            }
            if (admin) {
                makeAdmin(database, id);
            }
            return new Musician(id, username, email, null, null, UUID.randomUUID());
        }

        /** The rows and a live session, with an access token the server accepts. */
        public Musician signedIn(TestServer server) {
            Musician made = inDatabase(server.database());
            UUID session = UUID.randomUUID();
            server.database().insert("public.user_sessions",
                    Map.of("id", session, "user_id", made.id(), "session_token", "test-" + session));
            String token = server.app().features().tokens().issue(made.id(), session);
            return new Musician(made.id(), username, made.email(), token, null, session);
        }
    }

    /** Moves a musician to another plan ({@code free}, {@code pro}, {@code enterprise}). */
    public static void setPlan(TestDatabase database, UUID musician, String tier) {
        database.update("UPDATE public.profiles SET subscription_tier = :tier WHERE id = :id",
                Map.of("tier", tier, "id", musician));
    }

    /** Gives a musician the admin role. */
    public static void makeAdmin(TestDatabase database, UUID musician) {
        database.insert("public.user_roles", Map.of("user_id", musician, "role", "admin"));
    }

    // What the ledger holds of a musician

    /** Their profile's storage_used_mb (V83: the bytes charged to them in MiB, rounded up). */
    public static long storageUsedMb(TestDatabase database, UUID musician) {
        return database.one(Long.class, "SELECT storage_used_mb FROM public.profiles WHERE id = :id",
                Map.of("id", musician));
    }

    /** The bytes of the stored objects charged to them. */
    public static long chargedBytes(TestDatabase database, UUID musician) {
        return database.one(Long.class,
                "SELECT coalesce(sum(size_bytes), 0) FROM public.stored_objects WHERE charged_to = :id",
                Map.of("id", musician));
    }

    /** Their recorded usage of a resource (exports, renders, ai_transformations, …), all time. */
    public static BigDecimal usage(TestDatabase database, UUID musician, String resource) {
        return database.one(BigDecimal.class, """
                SELECT coalesce(sum(quantity), 0) FROM public.usage_tracking
                WHERE user_id = :id AND resource_type = :resource""", Map.of("id", musician, "resource", resource));
    }

    // Through the API, for the tests of accounts, sessions and tokens

    /** A unique username with the given prefix (3–30 of a–z, 0–9, _). */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase();
    }

    /** Signs a new musician up through the API (unique username from {@code prefix}, password {@link #PASSWORD}). */
    public static Musician signUp(Http http, String prefix) {
        String username = uniqueName(prefix);
        String email = username + "@example.test";
        Http.Response response = http.post("/api/v1/auth/signup", null,
                Map.of("email", email, "password", PASSWORD, "username", username));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode profile = response.json().path("profile");
        return fromTokens(UUID.fromString(profile.path("id").asText()), profile.path("username").asText(), email,
                response.json());
    }

    /** Signs up through the API and makes the profile public. */
    public static Musician signUpPublic(Http http, String prefix) {
        Musician musician = signUp(http, prefix);
        Http.Response response = http.patch("/api/v1/me", musician.token(),
                Map.of("preferences", Map.of("profile_public", true)));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return musician;
    }

    /** A new session of a musician who signed up through the API. */
    public static Musician signIn(Http http, Musician musician) {
        Http.Response response = http.post("/api/v1/auth/login", null,
                Map.of("email", musician.email(), "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return fromTokens(musician.id(), musician.username(), musician.email(), response.json());
    }

    private static Musician fromTokens(UUID id, String username, String email, JsonNode tokens) {
        return new Musician(id, username, email, tokens.path("access_token").asText(),
                tokens.path("refresh_token").asText(), UUID.fromString(tokens.path("session_id").asText()));
    }
}
