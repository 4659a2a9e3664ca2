package studio.nexus.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.nexus.core.Failure;
import studio.nexus.storage.Storage;

/**
 * Serves a stored audio object over HTTP: one byte range (RFC 9110: 206 with Content-Range, 416 when unsatisfiable,
 * a multi-range or malformed Range header is ignored and the whole object sent), ETag with If-None-Match (304),
 * Accept-Ranges, and the Content-Type from the key's extension (keys are made by StorageKeys, so the extension is
 * the detected format's). The body streams from storage; nothing is held in memory. Stateless.
 */
public final class AudioResponses {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private AudioResponses() {}

    static String contentType(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String extension = lower.substring(lower.lastIndexOf('.') + 1);
        return switch (extension) {
            case "wav" -> "audio/wav";
            case "flac" -> "audio/flac";
            case "mp3" -> "audio/mpeg";
            case "ogg", "opus" -> "audio/ogg";
            case "m4a" -> "audio/mp4";
            case "aac" -> "audio/aac";
            case "aif", "aiff" -> "audio/aiff";
            case "mid", "midi" -> "audio/midi";
            case "zip" -> "application/zip";
            default -> "application/octet-stream";
        };
    }

    /** Answers the object; true when bytes from offset 0 were sent (a download started, not a resumed range). */
    public static boolean serve(Context ctx, Storage storage, String key, String downloadName) throws IOException {
        Storage.StoredObject object = storage.stat(key).orElseThrow(() -> Failure.notFound("Audio"));
        long size = object.size();
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", object.etag());
        ctx.header("Cache-Control", "private, max-age=0, must-revalidate");
        if (downloadName != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
        }
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, object.etag())) {
            ctx.status(304);
            return false;
        }
        long start = 0;
        long end = size - 1;
        boolean partial = false;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(object.etag()))) {
            Matcher m = RANGE.matcher(range.strip());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) { // suffix: the last n bytes
                    long n = Long.parseLong(m.group(2));
                    if (n == 0 || size == 0) {
                        throw unsatisfiable(size);
                    }
                    start = Math.max(0, size - n);
                } else {
                    start = Long.parseLong(m.group(1));
                    if (!m.group(2).isEmpty()) {
                        long last = Long.parseLong(m.group(2));
                        if (last < start) {
                            throw unsatisfiable(size); // RFC 9110 calls this invalid; answered as unsatisfiable
                        }
                        end = Math.min(last, size - 1);
                    }
                    if (start >= size) {
                        throw unsatisfiable(size);
                    }
                }
                partial = true;
            }
        }
        long length = end - start + 1;
        binaryContentType(ctx, contentType(key));
        ctx.header("Content-Length", Long.toString(Math.max(length, 0)));
        if (partial) {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        } else {
            ctx.status(200);
        }
        if (ctx.method().name().equals("HEAD") || length <= 0) {
            return start == 0;
        }
        InputStream in = storage.open(key, start);
        ctx.result(new BoundedInputStream(in, length));
        return start == 0;
    }

    /** Sets a binary Content-Type without the charset parameter the text-oriented defaults would add. */
    public static void binaryContentType(Context ctx, String type) {
        ctx.contentType(type);
        ctx.res().setCharacterEncoding(null);
        ctx.res().setContentType(type);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    // the one answer a core.Failure cannot carry: 416 must name the size in Content-Range
    private static ApiException unsatisfiable(long size) {
        return new ApiException(416, "range_not_satisfiable", "Range not satisfiable",
                "The requested range is outside the " + size + " bytes of this audio", java.util.Map.of(),
                java.util.Map.of("Content-Range", "bytes */" + size));
    }

    /** Reads at most {@code remaining} bytes of a stream, closing it at the end. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
