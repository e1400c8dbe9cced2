package dev.genq.devkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
import dev.genq.devkit.emulator.OpenAiEmulator;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenAI's own Java client ({@code com.openai:openai-java}) against genq's OpenAI emulator, with
 * response validation on: every answer must parse as the real API's would, and every refusal must
 * come as the error the client raises for the real one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiClientTest {
    private static final String KEY = "sk-conformance";
    private OpenAiEmulator emulator;
    private OpenAIClient client;

    @BeforeAll
    void start() throws Exception {
        emulator = new OpenAiEmulator(0, 20);
        emulator.acceptKey(KEY);
        client = clientWith(KEY);
    }

    @AfterAll
    void stop() {
        client.close();
        emulator.close();
    }

    private OpenAIClient clientWith(String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(emulator.baseUrl() + "/v1").maxRetries(0).responseValidation(true).build();
    }

    private static ImageGenerateParams.Builder prompt(String text) {
        return ImageGenerateParams.builder().prompt(text + " " + UUID.randomUUID());
    }

    @Test
    void gptImageModelsAnswerBase64PngsWithUsageAndARequestId() throws Exception {
        HttpResponseFor<ImagesResponse> raw = client.images().withRawResponse()
            .generate(prompt("a fox").model(ImageModel.GPT_IMAGE_1).n(2L).build());
        ImagesResponse answer = raw.parse();

        assertThat(raw.headers().values("x-request-id")).singleElement().asString().startsWith("req_");
        assertThat(answer.data().orElseThrow()).hasSize(2).allSatisfy(image -> {
            assertThat(image.url()).isEmpty();
            assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.b64Json().orElseThrow())))).isNotNull();
        });
        assertThat(answer.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void aGptImageModelMakesJpegsWhenAsked() throws Exception {
        ImagesResponse answer = client.images().generate(prompt("a jpeg").model(ImageModel.GPT_IMAGE_1_MINI)
            .outputFormat(ImageGenerateParams.OutputFormat.JPEG).build());

        byte[] jpeg = Base64.getDecoder().decode(answer.data().orElseThrow().getFirst().b64Json().orElseThrow());
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
        assertThat(answer.outputFormat()).hasValueSatisfying(f -> assertThat(f.asString()).isEqualTo("jpeg"));
    }

    @Test
    void gptImageModelsRefuseResponseFormatAsTheRealApiDoes() {
        assertThatThrownBy(() -> client.images().generate(prompt("no format").model(ImageModel.GPT_IMAGE_1)
            .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build()))
            .isInstanceOfSatisfying(BadRequestException.class, e -> {
                assertThat(e.code()).hasValue("unknown_parameter");
                assertThat(e.param()).hasValue("response_format");
            });
    }

    @Test
    void dallEModelsAnswerLinksByDefaultAndBase64WhenAsked() throws Exception {
        Image linked = client.images().generate(prompt("a link").model(ImageModel.DALL_E_3).build()).data().orElseThrow().getFirst();
        Image inline = client.images().generate(prompt("inline").model(ImageModel.DALL_E_2).n(3L)
            .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build()).data().orElseThrow().getFirst();

        assertThat(linked.revisedPrompt()).isPresent();
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(linked.url().orElseThrow())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ImageIO.read(new ByteArrayInputStream(file.body()))).isNotNull();
        assertThat(inline.b64Json()).isPresent();
        assertThat(inline.url()).isEmpty();
    }

    @Test
    void parametersOutOfRangeAreRefusedNamingTheParameter() {
        List<ImageGenerateParams> refused = List.of(
            prompt("eleven").model(ImageModel.GPT_IMAGE_1).n(11L).build(),
            prompt("zero").model(ImageModel.DALL_E_2).n(0L).build(),
            prompt("two of three").model(ImageModel.DALL_E_3).n(2L).build(),
            prompt("no such model").model("dall-e-9").build());

        assertThat(refused).allSatisfy(params -> assertThatThrownBy(() -> client.images().generate(params))
            .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).isPresent()));
    }

    @Test
    void theEmulatorsFaultsArriveAsTheClientsErrors() {
        assertThatThrownBy(() -> client.images().generate(prompt("[throttle=1]").model(ImageModel.GPT_IMAGE_1).build()))
            .isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> client.images().generate(prompt("[transient=1]").model(ImageModel.GPT_IMAGE_1).build()))
            .isInstanceOf(InternalServerException.class);
        assertThatThrownBy(() -> client.images().generate(prompt("[reject]").model(ImageModel.GPT_IMAGE_1).build()))
            .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).hasValue("content_policy_violation"));
        assertThatThrownBy(() -> client.images().generate(prompt("[fail]").model(ImageModel.GPT_IMAGE_1).build()))
            .isInstanceOf(BadRequestException.class);
        OpenAIClient stranger = clientWith("sk-unknown");
        try {
            assertThatThrownBy(() -> stranger.images().generate(prompt("who").model(ImageModel.GPT_IMAGE_1).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.code()).hasValue("invalid_api_key"));
        } finally {
            stranger.close();
        }
        assertThatThrownBy(() -> client.images().generate(prompt("[throttle=1]").model(ImageModel.GPT_IMAGE_1).build()))
            .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.headers().values("x-request-id")).isNotEmpty());
    }
}
