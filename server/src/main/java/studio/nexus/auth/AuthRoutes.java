package studio.nexus.auth;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import studio.nexus.web.Requests;
import studio.nexus.web.Caller;
import studio.nexus.db.Identity;
import studio.nexus.web.ApiException;
import studio.nexus.web.JsonInput;
import studio.nexus.web.Paging;

/** HTTP handlers of /api/v1/auth: parse, call {@link Accounts}, answer. */
public final class AuthRoutes {
    /** Bodies here are a few short strings; anything bigger is refused before it is parsed. */
    static final long MAX_BODY_BYTES = 16 * 1024;
    static final Pattern USERNAME = Pattern.compile("[a-z0-9_]{3,30}");
    /** Deliberately loose (addresses are verified by use, not by regex), but one @, a dot in the domain, no spaces. */
    static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");

    private final Accounts accounts;

    public AuthRoutes(Accounts accounts) {
        this.accounts = accounts;
    }

    public void signUp(Context ctx) {
        JsonInput input = JsonInput.of(ctx, MAX_BODY_BYTES).allowOnly("email", "password", "username", "full_name");
        Optional<String> email = input.text("email", 3, 254, true).map(AuthRoutes::normaliseEmail);
        Optional<String> password = input.text("password", 1, 1024, true);
        Optional<String> username = input.text("username", 1, 64, true).map(name -> name.toLowerCase(Locale.ROOT));
        Optional<String> fullName = input.text("full_name", 0, 100, false);
        if (email.isPresent() && !EMAIL.matcher(email.get()).matches()) {
            input.reject("email", "must be an email address");
        }
        if (username.isPresent() && !USERNAME.matcher(username.get()).matches()) {
            input.reject("username", "must be 3–30 characters of a–z, 0–9 and _");
        }
        password.flatMap(value -> accounts.passwords().problemWith(value, email.orElse(null), username.orElse(null)))
                .ifPresent(problem -> input.reject("password", problem));
        input.done();
        Accounts.SignedUp result = accounts.signUp(email.get(), password.get(), username.get(),
                fullName.filter(name -> !name.isBlank()).map(String::strip).orElse(null), client(ctx));
        ctx.status(201).json(result);
    }

    public void signIn(Context ctx) {
        JsonInput input = JsonInput.of(ctx, MAX_BODY_BYTES).allowOnly("email", "password");
        Optional<String> email = input.text("email", 1, 254, true).map(AuthRoutes::normaliseEmail);
        Optional<String> password = input.text("password", 1, 1024, true);
        input.done();
        ctx.json(accounts.signIn(email.get(), password.get(), client(ctx)));
    }

    public void refresh(Context ctx) {
        JsonInput input = JsonInput.of(ctx, MAX_BODY_BYTES).allowOnly("refresh_token");
        Optional<String> token = input.text("refresh_token", 1, 256, true);
        input.done();
        ctx.json(accounts.refresh(token.get()));
    }

    public void signOut(Context ctx) {
        Identity caller = Caller.signedIn(ctx);
        accounts.signOut(caller, Caller.sessionId(ctx));
        ctx.status(204);
    }

    public void sessions(Context ctx) {
        Identity caller = Caller.signedIn(ctx);
        ctx.json(accounts.sessions(caller, Caller.sessionId(ctx), Paging.request(ctx, 20, 100)));
    }

    public void revokeSession(Context ctx) {
        Identity caller = Caller.signedIn(ctx);
        UUID sessionId = uuidOrNotFound(ctx.pathParam("id"), "Session");
        accounts.revoke(caller, sessionId);
        ctx.status(204);
    }

    /** Deleting an account asks for the password again, in the body. */
    public void deleteAccount(Context ctx) {
        Identity caller = Caller.signedIn(ctx);
        JsonInput input = JsonInput.of(ctx, MAX_BODY_BYTES).allowOnly("password");
        Optional<String> password = input.text("password", 1, 1024, true);
        input.done();
        accounts.deleteAccount(caller, password.get(), client(ctx));
        ctx.status(204);
    }

    /** The client's address and browser, as kept on its session. */
    static Accounts.Client client(Context ctx) {
        return new Accounts.Client(Requests.clientIp(ctx), Requests.userAgent(ctx));
    }

    static String normaliseEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** Path ids that are not UUIDs name nothing: 404, like an id that does not exist. */
    public static UUID uuidOrNotFound(String raw, String what) {
        try {
            if (raw.length() == 36) {
                return UUID.fromString(raw);
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw ApiException.notFound(what);
    }
}
