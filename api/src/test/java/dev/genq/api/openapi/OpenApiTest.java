package dev.genq.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.api.support.ApiRole;
import dev.genq.error.ErrorCode;
import io.micronaut.web.router.Router;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the api role serves: valid OpenAPI 3.1 by swagger-parser, browsable, and the
 * same inventory as the routes the role really serves, with every error code.
 */
class OpenApiTest {
    private final ApiRole api = ApiRole.get();

    @Test
    void theDocumentIsValidOpenApi31AndHasABrowsableView() throws Exception {
        SwaggerParseResult parsed = parse();

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearer");
        HttpResponse<String> view = api.send("GET", "/openapi/views/swagger-ui/index.html", null);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).containsIgnoringCase("swagger-ui").contains("genq.yml");
    }

    @Test
    void theDocumentListsExactlyTheRoutesServed() throws Exception {
        OpenAPI doc = parse().getOpenAPI();
        Set<String> served = api.bean(Router.class).uriRoutes()
            .map(r -> r.getHttpMethod().name() + " " + r.getUriMatchTemplate().toPathString())
            .filter(r -> r.contains(" /v1/") || r.contains(" /admin/") || r.contains(" /webhooks/"))
            .filter(r -> !r.startsWith("HEAD ")) // Micronaut answers HEAD for every GET
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        doc.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
            .forEach(method -> documented.add(method.name() + " " + path)));

        assertThat(served).hasSizeGreaterThan(25);
        assertThat(documented).isEqualTo(served);
        doc.getPaths().values().stream().flatMap(item -> item.readOperations().stream()).forEach(op ->
            assertThat(op.getResponses()).as(op.getOperationId()).containsKeys("4XX", "5XX"));
    }

    @Test
    void everyErrorCodeIsInTheDocument() throws Exception {
        OpenAPI doc = parse().getOpenAPI();
        Set<Object> documented = doc.getComponents().getSchemas().values().stream()
            .map(s -> s.getProperties() == null ? null : (Schema<?>) s.getProperties().get("code"))
            .filter(code -> code != null && code.getEnum() != null)
            .flatMap(code -> code.getEnum().stream())
            .collect(Collectors.toSet());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    }

    private SwaggerParseResult parse() throws Exception {
        HttpResponse<String> yaml = api.send("GET", "/openapi/genq.yml", null);
        assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(yaml.body(), null, options);
    }
}
