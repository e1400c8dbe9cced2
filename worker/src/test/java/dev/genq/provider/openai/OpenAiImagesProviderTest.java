package dev.genq.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.emulator.OpenAiEmulator;
import dev.genq.provider.AdapterContractSupport;
import dev.genq.provider.Provider;
import dev.genq.provider.ProviderRequest;
import dev.genq.provider.ProviderType;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import dev.genq.provider.VendorHttp;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** OpenAI Images against its emulator: synchronous answers, base64 or links, and the contract. */
class OpenAiImagesProviderTest extends AdapterContractSupport<OpenAiEmulator> {
    OpenAiImagesProviderTest() {
        super(ProviderType.openai, "gpt-image-1", false);
    }

    @Override
    protected OpenAiEmulator newEmulator() throws IOException {
        return new OpenAiEmulator(0, 100);
    }

    @Override
    protected Provider adapter(VendorHttp http) {
        return new OpenAiImagesProvider(http);
    }

    @Override
    protected boolean synchronous() {
        return true;
    }

    @Test
    void base64ImagesArriveInHandWithTheirMediaTypeAndUrlsAsLinks() throws Exception {
        assertThat(provider(KEY).submit(request("b64")).state()).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            assertThat(d.result().outputs().getFirst().inline()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(d.result().outputs().getFirst().contentType()).isEqualTo("image/png");
        });
        ProviderRequest linked = new ProviderRequest(UUID.randomUUID(), "dall-e-2", Map.of("prompt", "links"), 2, null,
            Map.of("responseFormat", "url"));
        assertThat(provider(KEY).submit(linked).state()).isInstanceOfSatisfying(TaskState.Done.class, d -> {
            assertThat(d.result().outputs()).hasSize(2);
            assertThat(d.result().outputs()).allSatisfy(o -> assertThat(o.url()).isNotNull());
        });
    }

    @Test
    void gptImageModelsAreNeverSentResponseFormatWhichTheyRefuse() throws Exception {
        ProviderRequest jpeg = new ProviderRequest(UUID.randomUUID(), "gpt-image-1", Map.of("prompt", "no format", "output_format", "jpeg"),
            1, null, Map.of("responseFormat", "url"));
        assertThat(provider(KEY).submit(jpeg).state()).isInstanceOfSatisfying(TaskState.Done.class,
            d -> assertThat(d.result().outputs().getFirst().contentType()).isEqualTo("image/jpeg"));
        ProviderRequest dallE = new ProviderRequest(UUID.randomUUID(), "dall-e-3", Map.of("prompt", "b64 by default"), 1, null, Map.of());
        assertThat(provider(KEY).submit(dallE).state()).isInstanceOfSatisfying(TaskState.Done.class,
            d -> assertThat(d.result().outputs().getFirst().inline()).isNotNull());
    }

    @Test
    void askingAfterTheAnswerWasLostRefundsInsteadOfPayingAgain() throws Exception {
        assertThat(provider(KEY).check(new TaskRef("gen", model(), 1, Map.of()))).isInstanceOfSatisfying(TaskState.Failed.class,
            f -> assertThat(f.error().code()).isEqualTo("provider_result_lost"));
    }
}
