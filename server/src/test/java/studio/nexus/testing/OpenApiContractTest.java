package studio.nexus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import studio.nexus.core.Json;

/** The contract checker itself: it must notice what the document does not describe. */
class OpenApiContractTest {
    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {
              "/api/v1/takes/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "string", "format": "uuid"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}],
                "responses": {
                  "200": {"description": "a take", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Take"}}}},
                  "404": {"$ref": "#/components/responses/Problem"}}}},
              "/api/v1/takes/latest": {"post": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}}}},
                "responses": {"204": {"description": "kept"}}}}},
             "components": {
              "schemas": {
               "Take": {"type": "object", "required": ["id", "bpm"], "properties": {
                 "id": {"type": "string", "format": "uuid"},
                 "bpm": {"type": ["number", "null"]}}},
               "Problem": {"type": "object", "required": ["status"], "properties": {"status": {"type": "integer"}}}},
              "responses": {"Problem": {"description": "p", "content": {"application/problem+json": {"schema": {
                "$ref": "#/components/schemas/Problem"}}}}}}}
            """;
    private static final String TAKE = "/api/v1/takes/7f0c3c1e-9a8b-4c39-8a51-2f1d5b1e0a11";

    private final OpenApiContract contract = new OpenApiContract(read(DOCUMENT));

    @Test
    void anAnswerThatFitsTheDocumentPassesIncludingANullableType() {
        assertThat(answer(200, "application/json", "{\"id\": \"7f0c3c1e-9a8b-4c39-8a51-2f1d5b1e0a11\", \"bpm\": null}")
                .violations()).isEmpty();
        assertThat(answer(200, "application/json; charset=utf-8",
                "{\"id\": \"7f0c3c1e-9a8b-4c39-8a51-2f1d5b1e0a11\", \"bpm\": 120.5}").violations()).isEmpty();
        assertThat(answer(404, "application/problem+json", "{\"status\": 404}").violations()).isEmpty();
    }

    @Test
    void aFieldTheDocumentDoesNotDescribeIsDrift() {
        assertThat(answer(200, "application/json",
                "{\"id\": \"7f0c3c1e-9a8b-4c39-8a51-2f1d5b1e0a11\", \"bpm\": 90, \"storage_key\": \"a/b\"}")
                .violations()).singleElement().asString().contains("storage_key");
    }

    @Test
    void aWrongTypeOrAMissingRequiredFieldIsDrift() {
        assertThat(answer(200, "application/json", "{\"id\": \"7f0c3c1e-9a8b-4c39-8a51-2f1d5b1e0a11\", \"bpm\": \"x\"}")
                .violations()).isNotEmpty();
        assertThat(answer(200, "application/json", "{\"bpm\": 1}").violations()).isNotEmpty();
        assertThat(answer(200, "application/json", "{\"id\": \"not-a-uuid\", \"bpm\": 1}").violations()).isNotEmpty();
    }

    @Test
    void aStatusOrMediaTypeTheDocumentDoesNotListIsDrift() {
        assertThat(answer(409, "application/problem+json", "{\"status\": 409}").violations())
                .singleElement().asString().contains("status 409 is not documented");
        assertThat(answer(404, "text/html", "<h1>no</h1>").violations())
                .singleElement().asString().contains("media type");
        assertThat(contract.checkResponse("POST", URI.create("/api/v1/takes/latest"), 204, "application/json",
                bytes("{}")).violations()).singleElement().asString().contains("without a body");
    }

    @Test
    void requestsAreCheckedForRouteParametersAndBody() {
        assertThat(contract.checkRequest("GET", URI.create(TAKE + "?limit=3"), null, null).violations()).isEmpty();
        assertThat(contract.checkRequest("GET", URI.create(TAKE + "?limit=30"), null, null).violations()).isNotEmpty();
        assertThat(contract.checkRequest("GET", URI.create(TAKE + "?sort=bpm"), null, null).violations())
                .singleElement().asString().contains("'sort' is not documented");
        assertThat(contract.checkRequest("GET", URI.create("/api/v1/takes/12"), null, null).violations()).isNotEmpty();
        assertThat(contract.checkRequest("DELETE", URI.create(TAKE), null, null).violations())
                .singleElement().asString().contains("not a documented operation");
        // the literal template wins over the templated one
        assertThat(contract.checkRequest("POST", URI.create("/api/v1/takes/latest"), "application/json",
                bytes("{\"title\": \"a\"}")).violations()).isEmpty();
        assertThat(contract.checkRequest("POST", URI.create("/api/v1/takes/latest"), null, null).violations())
                .singleElement().asString().contains("requires a body");
        assertThat(contract.checkRequest("POST", URI.create("/api/v1/takes/latest"), "application/json",
                bytes("{\"title\": \"a\", \"extra\": 1}")).violations()).isNotEmpty();
    }

    @Test
    void theWebStudiosFilesAreNotTheApiButEverythingUnderApiV1Is() {
        assertThat(contract.covers("/js/app.js")).isFalse();
        assertThat(contract.covers("/api/v1/anything")).isTrue();
        assertThat(contract.covers(TAKE)).isTrue();
    }

    @Test
    void theServersOwnDocumentLoadsAndDescribesItsProblems() {
        OpenApiContract server = OpenApiContract.server();
        assertThat(server.checkResponse("GET", URI.create("/api/v1/me"), 401, "application/problem+json",
                bytes("{\"type\": \"about:blank\", \"title\": \"Unauthorized\", \"status\": 401, \"code\": \"x\"}"))
                .violations()).isEmpty();
        assertThat(server.checkResponse("GET", URI.create("/api/v1/me"), 401, "application/problem+json",
                bytes("{\"title\": \"Unauthorized\", \"status\": 401}")).violations()).isNotEmpty();
    }

    private OpenApiContract.Verdict answer(int status, String contentType, String body) {
        return contract.checkResponse("GET", URI.create(TAKE), status, contentType, bytes(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
