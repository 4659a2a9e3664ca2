package studio.nexus.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;

/**
 * Sends one HTTP/1.1 request over a socket bound to a given local address, so that the server sees that client
 * address: on Linux every 127.x.y.z is the loopback, which gives a test as many distinct clients as it needs (the
 * JDK's HttpClient cannot choose its local address before Java 19). One connection per request. Thread-safe.
 */
final class BoundSocketClient {
    private BoundSocketClient() {}

    static Http.Response send(HttpRequest request, String localAddress) {
        URI uri = request.uri();
        byte[] body = bodyOf(request);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head.append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            request.headers().map().forEach((name, values) ->
                    values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n")));
            head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Http.Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] bytes;
        String encoding = headers.getOrDefault("Transfer-Encoding", List.of("")).get(0);
        if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                all.write(in.readNBytes(size));
                line(in);
            }
            bytes = all.toByteArray();
        } else if (headers.containsKey("Content-Length")) {
            bytes = in.readNBytes(Integer.parseInt(headers.get("Content-Length").get(0)));
        } else {
            bytes = in.readAllBytes();
        }
        return new Http.Response(status, HttpHeaders.of(headers, (name, value) -> true), bytes);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The request's body as the JDK client would send it. */
    private static byte[] bodyOf(HttpRequest request) {
        if (request.bodyPublisher().isEmpty()) {
            return new byte[0];
        }
        HttpResponse.BodySubscriber<byte[]> collector = HttpResponse.BodySubscribers.ofByteArray();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                collector.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                collector.onNext(List.of(item));
            }

            @Override
            public void onError(Throwable error) {
                collector.onError(error);
            }

            @Override
            public void onComplete() {
                collector.onComplete();
            }
        });
        return collector.getBody().toCompletableFuture().join();
    }
}
