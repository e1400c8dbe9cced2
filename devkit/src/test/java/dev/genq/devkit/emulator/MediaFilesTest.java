package dev.genq.devkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.Tools;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The emulators' outputs are files their media type's readers open, of exactly the size asked. */
class MediaFilesTest {
    /** Around the smallest file of each type, a segment's limit, and large. */
    private static final List<Integer> SIZES = List.of(1_200, 1_201, 1_203, 1_204, 2_048, 65_537 + 700, 65_537 + 702, 300_000);

    @Test
    void pngAndJpegAreImagesOfTheSeedsColourAtEverySize() throws IOException {
        for (String type : List.of("image/png", "image/jpeg")) {
            for (int size : SIZES) {
                byte[] file = MediaFiles.bytes(type, 42, size);
                assertThat(file).as("%s of %d bytes", type, size).hasSize(size);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
                assertThat(image).as("%s of %d bytes decodes", type, size).isNotNull();
                assertThat(image.getWidth()).isEqualTo(32);
                int centre = image.getRGB(16, 16) & 0xFFFFFF;
                assertThat(image.getRGB(0, 0) & 0xFFFFFF).as("one colour (JPEG within rounding)").isCloseTo(centre, org.assertj.core.data.Offset.offset(0x030303));
            }
        }
        BufferedImage other = ImageIO.read(new ByteArrayInputStream(MediaFiles.bytes("image/png", 43, 2_048)));
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(MediaFiles.bytes("image/png", 42, 2_048)));
        assertThat(other.getRGB(0, 0)).as("another seed, another colour").isNotEqualTo(first.getRGB(0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "image/jpeg", "audio/mpeg", "video/mp4", "text/plain", "application/octet-stream"})
    void theSameSeedGivesTheSameBytesStreamedOrWholeAndAnotherSeedOthers(String type) throws IOException {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        MediaFiles.write(streamed, type, 7, 200_003);

        assertThat(streamed.toByteArray()).isEqualTo(MediaFiles.bytes(type, 7, 200_003));
        assertThat(MediaFiles.bytes(type, 8, 200_003)).isNotEqualTo(streamed.toByteArray());
    }

    @Test
    void tooSmallForTheTypeIsTheSeedsRandomBytes() {
        assertThat(MediaFiles.bytes("video/mp4", 1, 100)).hasSize(100).isEqualTo(MediaFiles.bytes("application/x-unknown", 1, 100));
        assertThat(MediaFiles.bytes("image/png", 1, 0)).isEmpty();
    }

    @Test
    void textIsPrintable() {
        String text = new String(MediaFiles.bytes("text/plain", 3, 5_000), StandardCharsets.US_ASCII);
        assertThat(text).hasSize(5_000).matches("[a-z .\\n]+");
    }

    @Test
    void mp3IsSilentAudioThatFfmpegDecodesWithoutComplaint(@TempDir Path dir) throws Exception {
        for (int size : List.of(1_000, 2_048, 4_500, 300_000)) {
            Path file = dir.resolve("out-" + size + ".mp3");
            Files.write(file, MediaFiles.bytes("audio/mpeg", size, size));

            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(probe(file, "stream=codec_name,sample_rate,channels")).as("%d bytes", size).isEqualTo("mp3,44100,1");
            assertThat(decodeErrors(file)).as("%d bytes", size).isEmpty();
        }
    }

    @Test
    void mp4IsOneH264FrameThatFfmpegDecodesWithoutComplaint(@TempDir Path dir) throws Exception {
        for (int size : List.of(1_200, 2_048, 300_000)) {
            Path file = dir.resolve("out-" + size + ".mp4");
            Files.write(file, MediaFiles.bytes("video/mp4", size, size));

            assertThat(Files.size(file)).isEqualTo(size);
            assertThat(probe(file, "stream=codec_name,width,height,nb_frames")).as("%d bytes", size).isEqualTo("h264,16,16,1");
            assertThat(decodeErrors(file)).as("%d bytes", size).isEmpty();
        }
    }

    private static String probe(Path file, String entries) throws Exception {
        Path ffprobe = Tools.require("ffprobe", "ffmpeg");
        return run(List.of(ffprobe.toString(), "-v", "error", "-show_entries", entries, "-of", "csv=p=0", file.toString())).strip();
    }

    /** The errors ffmpeg reports while decoding every frame; none for a sound file. */
    private static String decodeErrors(Path file) throws Exception {
        Path ffmpeg = Tools.require("ffmpeg", "ffmpeg");
        return run(List.of(ffmpeg.toString(), "-v", "error", "-nostdin", "-i", file.toString(), "-f", "null", "-")).strip();
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }
}
