package studio.nexus.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Makes a refusal reach a client that is still sending its body (an oversize upload, a 401 or 404 before an upload
 * was read). Jetty closes such a connection after reading at most a header's worth more of it, and a socket closed
 * with unread bytes answers the still-sending client with a reset that discards the refusal before it is read
 * ("header parser received no bytes"). So, before a 4xx/5xx answer, the rest of the body is read and thrown away,
 * up to {@code limit} bytes: the client finishes sending, then reads the answer, and the connection stays usable.
 *
 * <ul>
 *   <li>A client that sent {@code Expect: 100-continue} and whose body no handler began to read has sent nothing:
 *       it gets the refusal instead of 100 Continue (Jetty then closes the connection), and nothing is drained.</li>
 *   <li>A declared Content-Length above {@code limit} is not read at all: the answer goes out at once with
 *       {@code Connection: close} (a client that reads while it sends sees it; one that does not may see a
 *       reset, the price of not reading gigabytes).</li>
 *   <li>A chunked body is read up to {@code limit}; past it, the answer says {@code Connection: close}.</li>
 * </ul>
 *
 * Handlers that stream a body themselves call {@link #started} before the first read. Stateless; thread-safe.
 */
public final class RefusedBodies {
    private static final String STARTED = RefusedBodies.class.getName() + ".started";

    private final long limit;

    public RefusedBodies(long limit) {
        this.limit = limit;
    }

    /** Notes that this request's body is being read (so 100 Continue was, or need not be, sent). */
    public static void started(Context ctx) {
        ctx.attribute(STARTED, Boolean.TRUE);
    }

    /** An after-handler: drains what is left of a refused request's body (see the class comment). */
    public void drain(Context ctx) {
        if (ctx.statusCode() < 400) {
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        String encoding = ctx.header("Transfer-Encoding");
        boolean chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        if (declared <= 0 && !chunked) {
            return;
        }
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && ctx.attribute(STARTED) == null) {
            return;
        }
        if (declared > limit) {
            ctx.header("Connection", "close");
            return;
        }
        byte[] buffer = new byte[16 * 1024];
        long read = 0;
        try {
            InputStream in = ctx.req().getInputStream();
            while (read <= limit) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                read += n;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away or the body was already failed (a broken multipart): nothing more to read
        }
        ctx.header("Connection", "close");
    }
}
