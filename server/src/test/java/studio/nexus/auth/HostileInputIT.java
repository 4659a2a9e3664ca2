package studio.nexus.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import studio.nexus.testing.Http;
import studio.nexus.testing.Musicians;
import studio.nexus.testing.Musicians.Musician;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/** Malformed or hostile bodies get a 4xx problem+json and write nothing. */
class HostileInputIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    static Musician account;

    @BeforeAll
    static void signUp() {
        account = Musicians.signUp(server.http(), "target");
    }

    private static final String LONG = "x".repeat(10_000);
    private static final String SQL = "x'); DROP TABLE public.profiles; --";

    record Case(String method, String path, boolean signedIn, byte[] body, String contentType) {}

    private static Case json(String method, String path, boolean signedIn, String body) {
        return new Case(method, path, signedIn, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String[] bodies = {
                "[{\"email\":\"a@b.co\",\"password\":\"Correct-Horse-1\",\"username\":\"arrayed\"}]",
                "\"just a string\"", "42", "null", "{", "{\"email\": }", "",
                "{\"email\":\"" + SQL + "@x.io\",\"password\":\"Correct-Horse-1\",\"username\":\"sqlinjected\"}",
                "{\"email\":\"sql@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"" + SQL + "\"}",
                "{\"email\":\"long@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"" + LONG + "\"}",
                "{\"email\":\"" + LONG + "@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"longmail\"}",
                "{\"email\":\"pw@example.test\",\"password\":\"" + LONG + "\",\"username\":\"longpw\"}",
                "{\"email\":[\"a@b.co\"],\"password\":\"Correct-Horse-1\",\"username\":\"typed\"}",
                "{\"email\":\"typed@example.test\",\"password\":12345678,\"username\":\"typed\"}",
                "{\"email\":\"typed@example.test\",\"password\":\"Correct-Horse-1\",\"username\":{\"$ne\":1}}",
                "{\"email\":\"extra@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"extra\",\"id\":\""
                        + account.id() + "\"}",
                "{\"email\":\"tier@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"tier\","
                        + "\"subscription_tier\":\"enterprise\"}",
                "{\"email\":\"nul@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"nul\\u0000x\"}",
                "{\"email\":\"dup@example.test\",\"email\":\"dup2@example.test\",\"password\":\"Correct-Horse-1\"," 
                        + "\"username\":\"dup\"} trailing",
        };
        for (String body : bodies) {
            cases.add(json("POST", "/api/v1/auth/signup", false, body));
            cases.add(json("POST", "/api/v1/auth/login", false, body));
            cases.add(json("PATCH", "/api/v1/me", true, body));
        }
        for (String body : new String[] {"[]", "{\"refresh_token\":" + "[1]" + "}", "{\"refresh_token\":\"" + LONG + "\"}",
                "{\"refresh_token\":\"" + SQL + "\"}", "{\"refresh_token\":\"a\",\"user_id\":\"x\"}"}) {
            cases.add(json("POST", "/api/v1/auth/refresh", false, body));
        }
        cases.add(json("PATCH", "/api/v1/me", true, "{\"full_name\":\"" + LONG + "\"}"));
        cases.add(json("PATCH", "/api/v1/me", true, "{\"bio\":\"" + SQL + "\",\"website_url\":\"javascript:x\"}"));
        cases.add(json("PATCH", "/api/v1/me", true, "{\"preferences\":[1,2,3]}"));
        cases.add(json("DELETE", "/api/v1/me", true, "[\"" + Musicians.PASSWORD + "\"]"));
        cases.add(json("DELETE", "/api/v1/me", true, "{\"password\":[\"" + Musicians.PASSWORD + "\"]}"));
        // Invalid UTF-8: a lone continuation byte, an overlong encoding, a truncated sequence.
        for (byte[] bad : new byte[][] {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}}) {
            byte[] prefix = "{\"email\":\"u@example.test\",\"password\":\"Correct-Horse-1\",\"username\":\"utf"
                    .getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            cases.add(new Case("POST", "/api/v1/auth/signup", false, body, "application/json"));
            cases.add(new Case("PATCH", "/api/v1/me", true, body, "application/json"));
        }
        cases.add(new Case("POST", "/api/v1/auth/signup", false,
                "email=a@b.co&password=x".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
        cases.add(new Case("POST", "/api/v1/auth/signup", false, new byte[64 * 1024], "application/json"));
        return cases;
    }

    private long[] counts() {
        return database.db().asSystem(handle -> new long[] {
                handle.createQuery("SELECT count(*) FROM auth.users").mapTo(Long.class).one(),
                handle.createQuery("SELECT count(*) FROM public.profiles").mapTo(Long.class).one(),
                handle.createQuery("SELECT count(*) FROM public.user_sessions").mapTo(Long.class).one(),
                handle.createQuery("SELECT count(*) FROM auth.refresh_tokens").mapTo(Long.class).one(),
                handle.createQuery("SELECT count(*) FROM auth.sign_in_failures").mapTo(Long.class).one()});
    }

    private String profileRow() {
        return database.one(String.class, "SELECT row_to_json(p)::text FROM public.profiles p WHERE id = :id",
                TestDatabase.params("id", account.id()));
    }

    @Test
    void hostileBodiesAre4xxProblemJsonAndWriteNothing() {
        Http http = server.http().offContract();
        long[] before = counts();
        String profile = profileRow();
        for (Case c : cases()) {
            Http.Response response = http.raw(c.method(), c.path(), c.signedIn() ? account.token() : null,
                    c.contentType(), c.body());
            String text = new String(c.body(), StandardCharsets.UTF_8);
            String label = c.method() + " " + c.path() + " " + text.substring(0, Math.min(80, text.length()));
            assertThat(response.status()).as(label).isBetween(400, 499).isNotEqualTo(429);
            assertThat(response.contentType()).as(label).startsWith("application/problem+json");
            assertThat(response.json().path("code").asText()).as(label).isNotEmpty();
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(profileRow()).isEqualTo(profile);
        assertThat(http.get("/api/v1/me", account.token()).status()).isEqualTo(200);
    }
}
