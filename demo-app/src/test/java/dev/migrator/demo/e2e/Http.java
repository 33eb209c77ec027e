package dev.migrator.demo.e2e;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP requests to a {@link DemoProcess}, answered as status and body.
 */
final class Http {

    private static final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A migration run answered by POST takes at most some seconds with the tests' small seeds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Http() {}

    static Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    static Response post(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static Response send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException ex) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }

    /**
     * An answer.
     *
     * @param status the HTTP status code
     * @param body the body as text
     */
    record Response(int status, String body) {

        /** Read a value of a JSON body, for example {@code $.components.migrations.status}. */
        <T> T read(String jsonPath) {
            return JsonPath.read(this.body, jsonPath);
        }
    }
}
