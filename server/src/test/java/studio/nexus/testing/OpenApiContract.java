package studio.nexus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.nexus.core.Json;

/**
 * The server's OpenAPI 3.1 document as a checker of real requests and answers: every route, parameter, body, status
 * and media type a test meets must be the one the document describes. Schemas are JSON Schema 2020-12 (checked by
 * networknt's validator with the OpenAPI 3.1 dialect, formats asserted).
 *
 * <p>Objects with declared {@code properties} are read as closed ({@code unevaluatedProperties: false}, which still
 * composes with {@code allOf}) unless the document says otherwise, so a field the server sends but the document
 * lacks is drift. A schema that means to stay open says so with {@code additionalProperties}.
 *
 * <p>Thread-safe: the document is read once; compiled schemas are cached per JSON pointer.
 */
public final class OpenApiContract {
    private static final String DOCUMENT_IRI = "https://studio.nexus.test/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern EMAIL =
            Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");
    private static volatile OpenApiContract shared;

    private final JsonNode document;
    private final List<Route> routes = new ArrayList<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private record Route(String template, Pattern pattern, int literals, List<String> names) {}

    /** One answer: the operation it matched (null when none) and what the document disagrees with. */
    public record Verdict(String operation, List<String> violations) {
        public boolean ok() {
            return violations.isEmpty();
        }
    }

    public OpenApiContract(JsonNode document) {
        this.document = closeObjects(document.deepCopy());
        for (Iterator<String> it = this.document.path("paths").fieldNames(); it.hasNext(); ) {
            String template = it.next();
            routes.add(route(template));
        }
        // The most literal template wins (/projects/public before /projects/{id}).
        routes.sort((a, b) -> Integer.compare(b.literals(), a.literals()));
        String text = this.document.toString();
        // "email" is the looser rule the server applies (any domain of two or more labels, .test included);
        // the library's RFC 5321 check with a list of top-level domains refuses the reserved test domains.
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31()).format(new Format() {
            @Override
            public String getName() {
                return "email";
            }

            @Override
            public boolean matches(ExecutionContext context, String value) {
                return EMAIL.matcher(value).matches();
            }
        }).build();
        registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder
                .schemas(Map.of(DOCUMENT_IRI, text))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The document the server serves, read once per test JVM. */
    public static OpenApiContract server() {
        OpenApiContract c = shared;
        if (c == null) {
            synchronized (OpenApiContract.class) {
                if (shared == null) {
                    try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.json")) {
                        shared = new OpenApiContract(Json.MAPPER.readTree(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                c = shared;
            }
        }
        return c;
    }

    /**
     * Whether the document speaks for this path: everything under {@code /api/v1/}, and any other path it lists
     * (/health, /metrics, ...). The web studio's pages and files are not part of the API.
     */
    public boolean covers(String rawPath) {
        return rawPath.startsWith("/api/v1/") || routes.stream().anyMatch(r -> r.pattern().matcher(rawPath).matches());
    }

    /** Checks a request as sent: route, method, path and query parameters, body and its media type. */
    public Verdict checkRequest(String method, URI uri, String contentType, byte[] body) {
        List<String> out = new ArrayList<>();
        Found found = find(method, uri.getRawPath(), out);
        if (found == null) {
            return new Verdict(null, out);
        }
        checkParameters(found, uri.getRawQuery(), out);
        JsonNode requestBody = resolve(found.operation().path("requestBody"));
        boolean empty = body == null || body.length == 0;
        if (requestBody.isMissingNode()) {
            if (!empty) {
                out.add("a body was sent but the operation documents none");
            }
        } else if (empty) {
            if (requestBody.path("required").asBoolean(false)) {
                out.add("the operation requires a body and none was sent");
            }
        } else {
            checkContent(found.pointer() + "/requestBody", requestBody, contentType, body, "request", out);
        }
        return new Verdict(found.name(), out);
    }

    /** Checks an answer: its status must be documented for the operation, and its body must fit. */
    public Verdict checkResponse(String method, URI uri, int status, String contentType, byte[] body) {
        List<String> out = new ArrayList<>();
        Found found = find(method, uri.getRawPath(), out);
        if (found == null) {
            return new Verdict(null, out);
        }
        JsonNode responses = found.operation().path("responses");
        String key = String.valueOf(status);
        if (!responses.has(key)) {
            key = status / 100 + "XX";
        }
        if (!responses.has(key)) {
            key = "default";
        }
        if (!responses.has(key)) {
            out.add("status " + status + " is not documented (documented: " + names(responses) + ")");
            return new Verdict(found.name(), out);
        }
        JsonNode response = resolve(responses.path(key));
        String pointer = responsePointer(found.pointer() + "/responses/" + key, responses.path(key));
        boolean empty = body == null || body.length == 0;
        JsonNode content = response.path("content");
        if (empty) {
            return new Verdict(found.name(), out);
        }
        if (content.isMissingNode() || content.isEmpty()) {
            out.add("status " + status + " is documented without a body, yet one came: " + preview(body));
        } else {
            checkContent(pointer, response, contentType, body, "response", out);
        }
        return new Verdict(found.name(), out);
    }

    /**
     * An answer to a route the document does not have (asked for on purpose, off the contract): it must still be
     * one of the document's problems.
     */
    public Verdict checkProblem(int status, String contentType, byte[] body) {
        List<String> out = new ArrayList<>();
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (status < 400 || !mediaType.equals("application/problem+json")) {
            out.add("an undocumented route answered " + status + " " + contentType + " instead of a problem");
        } else {
            try {
                for (String problem : validate("/components/schemas/Problem", Json.MAPPER.readTree(body))) {
                    out.add("problem body: " + problem);
                }
            } catch (IOException e) {
                out.add("problem body is not JSON: " + preview(body));
            }
        }
        return new Verdict(null, out);
    }

    private record Found(String name, String template, JsonNode pathItem, JsonNode operation, String pointer,
                         Map<String, String> pathValues) {}

    private Found find(String method, String rawPath, List<String> out) {
        String m = method.toLowerCase(Locale.ROOT);
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(rawPath);
            if (!matcher.matches()) {
                continue;
            }
            JsonNode item = document.path("paths").path(route.template());
            String opMethod = m;
            // HEAD is GET without the body, as HTTP has it, unless the document describes HEAD itself.
            if (m.equals("head") && !item.has("head")) {
                opMethod = "get";
            }
            if (!item.has(opMethod)) {
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < route.names().size(); i++) {
                values.put(route.names().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
            }
            return new Found(method.toUpperCase(Locale.ROOT) + " " + route.template(), route.template(), item,
                    item.path(opMethod), "/paths/" + escape(route.template()) + "/" + opMethod, values);
        }
        out.add(method.toUpperCase(Locale.ROOT) + " " + rawPath + " is not a documented operation");
        return null;
    }

    private void checkParameters(Found found, String rawQuery, List<String> out) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        Map<String, String> pointers = new LinkedHashMap<>();
        collectParameters(found.pathItem().path("parameters"), "/paths/" + escape(found.template()) + "/parameters",
                declared, pointers);
        collectParameters(found.operation().path("parameters"), found.pointer() + "/parameters", declared, pointers);
        for (String name : query.keySet()) {
            if (!declared.containsKey("query:" + name)) {
                out.add("query parameter '" + name + "' is not documented");
            }
        }
        for (var entry : declared.entrySet()) {
            JsonNode parameter = entry.getValue();
            String in = parameter.path("in").asText();
            String name = parameter.path("name").asText();
            List<String> values = switch (in) {
                case "path" -> found.pathValues().containsKey(name) ? List.of(found.pathValues().get(name)) : null;
                case "query" -> query.get(name);
                default -> null; // headers and cookies are the HTTP layer's business, not the contract's
            };
            if (!in.equals("path") && !in.equals("query")) {
                continue;
            }
            if (values == null) {
                if (parameter.path("required").asBoolean(false)) {
                    out.add(in + " parameter '" + name + "' is required and missing");
                }
                continue;
            }
            JsonNode schema = parameter.path("schema");
            if (schema.isMissingNode()) {
                continue;
            }
            JsonNode instance = types(schema).contains("array") ? arrayOf(schema, values) : scalar(schema, values.get(0));
            for (String problem : validate(pointers.get(entry.getKey()) + "/schema", instance)) {
                out.add(in + " parameter '" + name + "'=" + values + ": " + problem);
            }
        }
    }

    private void collectParameters(JsonNode list, String pointer, Map<String, JsonNode> into,
                                   Map<String, String> pointers) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode raw = list.get(i);
            JsonNode parameter = resolve(raw);
            String key = parameter.path("in").asText() + ":" + parameter.path("name").asText();
            into.put(key, parameter);
            pointers.put(key, raw.has("$ref") ? raw.get("$ref").asText().substring(1) : pointer + "/" + i);
        }
    }

    private void checkContent(String pointer, JsonNode holder, String contentType, byte[] body, String what,
                              List<String> out) {
        JsonNode content = holder.path("content");
        String mediaType = contentType == null ? null
                : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        String matched = null;
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            if (mediaType != null && matches(candidate.toLowerCase(Locale.ROOT), mediaType)) {
                if (matched == null || !candidate.contains("*")) {
                    matched = candidate;
                }
            }
        }
        if (matched == null) {
            out.add(what + " media type " + contentType + " is not documented (documented: " + names(content) + ")");
            return;
        }
        if (!isJson(mediaType)) {
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            out.add(what + " body is not JSON although it says " + contentType + ": " + preview(body));
            return;
        }
        if (content.path(matched).path("schema").isMissingNode()) {
            return;
        }
        for (String problem : validate(pointer + "/content/" + escape(matched) + "/schema", json)) {
            out.add(what + " body: " + problem);
        }
    }

    private List<String> validate(String pointer, JsonNode instance) {
        Schema schema = schemas.computeIfAbsent(pointer,
                p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            problems.add(error.toString());
        }
        return problems;
    }

    private static boolean matches(String documented, String actual) {
        if (documented.equals(actual) || documented.equals("*/*")) {
            return true;
        }
        return documented.endsWith("/*") && actual.startsWith(documented.substring(0, documented.length() - 1));
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    /** A path parameter or query value is text on the wire; read it as the type its schema asks for. */
    private static JsonNode scalar(JsonNode schema, String value) {
        Set<String> types = types(schema);
        if (types.contains("integer")) {
            try {
                return LongNode.valueOf(Long.parseLong(value));
            } catch (NumberFormatException ignored) {
                // left as text: the schema then reports the wrong type
            }
        }
        if (types.contains("number")) {
            try {
                return DecimalNode.valueOf(new BigDecimal(value));
            } catch (NumberFormatException ignored) {
                // as above
            }
        }
        if (types.contains("boolean") && (value.equals("true") || value.equals("false"))) {
            return BooleanNode.valueOf(Boolean.parseBoolean(value));
        }
        return TextNode.valueOf(value);
    }

    private JsonNode arrayOf(JsonNode schema, List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        JsonNode items = resolve(schema.path("items"));
        for (String value : values) {
            for (String part : value.split(",")) {
                array.add(scalar(items, part));
            }
        }
        return array;
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            Set<String> out = new java.util.HashSet<>();
            type.forEach(t -> out.add(t.asText()));
            return out;
        }
        return type.isTextual() ? Set.of(type.asText()) : Set.of();
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current.has("$ref") && depth < 10; depth++) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private static String responsePointer(String inline, JsonNode response) {
        return response.has("$ref") ? response.get("$ref").asText().substring(1) : inline;
    }

    private static Route route(String template) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        int literals = 0;
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        for (String segment : template.split("/")) {
            if (!segment.isEmpty() && !segment.contains("{")) {
                literals++;
            }
        }
        return new Route(template, Pattern.compile(regex.toString()), literals, names);
    }

    /**
     * Declared properties close an object unless the document already says how to treat others. An {@code allOf}
     * is closed as a whole, never member by member (a closed member would refuse its siblings' fields), so members
     * that name a component get an open copy of it.
     */
    private static JsonNode closeObjects(JsonNode document) {
        ObjectNode components = (ObjectNode) document.path("components").path("schemas");
        Set<String> composed = new java.util.TreeSet<>();
        document.findParents("allOf").forEach(parent -> parent.get("allOf").forEach(member -> {
            String ref = member.path("$ref").asText("");
            if (ref.startsWith("#/components/schemas/")) {
                composed.add(ref.substring("#/components/schemas/".length()));
                ((ObjectNode) member).put("$ref", ref + OPEN);
            }
        }));
        Set<String> openedByUs = new java.util.TreeSet<>();
        for (String name : composed) {
            JsonNode copy = components.get(name).deepCopy();
            components.set(name + OPEN, copy);
            if (!copy.has("unevaluatedProperties") && !copy.has("additionalProperties")) {
                openedByUs.add(name + OPEN);
            }
        }
        close(document, true);
        openedByUs.forEach(name -> ((ObjectNode) components.get(name)).remove("unevaluatedProperties"));
        return document;
    }

    private static final String OPEN = "__open";

    private static void close(JsonNode node, boolean closeHere) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            if (closeHere && (object.path("properties").isObject() || object.path("allOf").isArray())
                    && !object.has("additionalProperties") && !object.has("unevaluatedProperties")) {
                object.put("unevaluatedProperties", false);
            }
            object.fields().forEachRemaining(field -> {
                if (field.getKey().equals("allOf")) {
                    field.getValue().forEach(member -> close(member, false));
                } else {
                    close(field.getValue(), true);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> close(child, true));
        }
    }

    private static String names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return String.join(", ", out);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
