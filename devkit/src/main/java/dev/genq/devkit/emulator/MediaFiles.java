package dev.genq.devkit.emulator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Real files of the media type an output promises, so a frontend or a person can open what the
 * emulators deliver: a solid-colour PNG or JPEG, a second of silent MP3, a one-frame H.264 MP4,
 * plain text. Each is exactly the size asked (tests ask for sizes up to tens of megabytes) and the
 * same for the same seed: the colour comes from the seed, and the bytes that make up the size are
 * random ones from it, in a place the format lets a player skip (a private PNG chunk, JPEG comments,
 * an ID3 PRIV frame, the rest of the MP4's media data). A size too small for a valid file of the
 * type, and any other type, give the seed's random bytes.
 */
public final class MediaFiles {
    /** Width and height of the images, in pixels. */
    public static final int IMAGE_SIDE = 32;
    private static final byte[] PNG_PADDING_CHUNK = "gnQp".getBytes(StandardCharsets.US_ASCII); // ancillary, private, safe to copy
    private static final String TEXT = "abcdefghijklmnopqrstuvwxyz    .\n";

    private MediaFiles() {
    }

    /** The whole file; {@link #write} streams the same bytes. */
    public static byte[] bytes(String mediaType, long seed, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try {
            write(out, mediaType, seed, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the file a block at a time, so serving a 50 MB output never holds it whole. */
    public static void write(OutputStream out, String mediaType, long seed, int size) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        boolean written = switch (mediaType == null ? "" : mediaType) {
            case "image/png" -> png(out, random, size);
            case "image/jpeg" -> jpeg(out, random, size);
            case "audio/mpeg" -> mp3(out, random, size);
            case "video/mp4" -> mp4(out, random, size);
            case "text/plain" -> text(out, random, size);
            default -> false;
        };
        if (!written) {
            filler(out, new SplittableRandom(seed), size, AS_IS);
        }
    }

    /**
     * {@code n} random bytes a block at a time, each block passed to {@code onBlock} (a checksum, a
     * mapping to text) before it is written. Blocks are multiples of 8 and the generator fills whole
     * 8-byte words in order, so the bytes do not depend on the block size.
     */
    private static void filler(OutputStream out, SplittableRandom random, long n, Consumer<byte[]> onBlock) throws IOException {
        byte[] block = new byte[(int) Math.min(n, 64 * 1024)];
        for (long left = n; left > 0; left -= block.length) {
            if (left < block.length) {
                block = new byte[(int) left];
            }
            random.nextBytes(block);
            onBlock.accept(block);
            out.write(block);
        }
    }

    private static final Consumer<byte[]> AS_IS = block -> { };

    private static boolean text(OutputStream out, SplittableRandom random, int size) throws IOException {
        filler(out, random, size, block -> {
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) TEXT.charAt(block[i] & 0x1F);
            }
        });
        return true;
    }

    private static BufferedImage solid(SplittableRandom random) {
        BufferedImage image = new BufferedImage(IMAGE_SIDE, IMAGE_SIDE, BufferedImage.TYPE_INT_RGB);
        int rgb = random.nextInt(0x1000000);
        for (int y = 0; y < IMAGE_SIDE; y++) {
            for (int x = 0; x < IMAGE_SIDE; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, encoded)) {
            throw new IOException("this JDK writes no " + format);
        }
        return encoded.toByteArray();
    }

    /** The encoder's PNG with a private chunk before IEND holding what the size asks beyond it. */
    private static boolean png(OutputStream out, SplittableRandom random, int size) throws IOException {
        byte[] image = encode(solid(random), "png");
        int iend = image.length - 12;
        long padding = (long) size - image.length - 12;
        if (padding < 0) {
            return false;
        }
        out.write(image, 0, iend);
        out.write(ByteBuffer.allocate(4).putInt((int) padding).array());
        out.write(PNG_PADDING_CHUNK);
        CRC32 crc = new CRC32();
        crc.update(PNG_PADDING_CHUNK);
        filler(out, random, padding, crc::update);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        out.write(image, iend, 12);
        return true;
    }

    /** The encoder's JPEG with comment segments (at most 65,537 bytes each) after its JFIF header. */
    private static boolean jpeg(OutputStream out, SplittableRandom random, int size) throws IOException {
        byte[] image = encode(solid(random), "jpeg");
        int afterApp0 = 4 + ((image[4] & 0xFF) << 8 | image[5] & 0xFF); // SOI, then APP0 with its length
        int padding = size - image.length;
        if (padding < 4) {
            return false;
        }
        out.write(image, 0, afterApp0);
        for (int left = padding; left > 0; ) {
            int segment = left <= 65_537 ? left : left - 65_537 < 4 ? left - 4 : 65_537;
            out.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) ((segment - 2) >> 8), (byte) (segment - 2)});
            filler(out, random, segment - 4, AS_IS);
            left -= segment;
        }
        out.write(image, afterApp0, image.length - afterApp0);
        return true;
    }

    /** MPEG-1 Layer III, 32 kbit/s, 44.1 kHz, mono: each frame 104 bytes, 1,152 silent samples. */
    private static final byte[] SILENT_FRAME = new byte[104];

    static {
        SILENT_FRAME[0] = (byte) 0xFF;
        SILENT_FRAME[1] = (byte) 0xFB; // MPEG-1, Layer III, no CRC
        SILENT_FRAME[2] = (byte) 0x10; // 32 kbit/s, 44.1 kHz, no padding
        SILENT_FRAME[3] = (byte) 0xC4; // mono, original; side information and main data all zero: silence
    }

    /** An ID3v2.3 tag whose PRIV frame holds what the size asks beyond up to a second of silent frames. */
    private static boolean mp3(OutputStream out, SplittableRandom random, int size) throws IOException {
        byte[] owner = "genq\0".getBytes(StandardCharsets.US_ASCII);
        int tagHead = 10 + 10 + owner.length;
        int frames = Math.min(38, (size - tagHead) / SILENT_FRAME.length);
        long padding = (long) size - tagHead - (long) frames * SILENT_FRAME.length;
        long tagSize = 10 + owner.length + padding;
        if (frames < 1 || tagSize >= 1 << 28) {
            return false;
        }
        out.write(new byte[] {'I', 'D', '3', 3, 0, 0,
            (byte) (tagSize >> 21 & 0x7F), (byte) (tagSize >> 14 & 0x7F), (byte) (tagSize >> 7 & 0x7F), (byte) (tagSize & 0x7F)});
        out.write(new byte[] {'P', 'R', 'I', 'V'});
        out.write(ByteBuffer.allocate(4).putInt((int) (owner.length + padding)).array());
        out.write(new byte[2]);
        out.write(owner);
        filler(out, random, padding, AS_IS);
        for (int i = 0; i < frames; i++) {
            out.write(SILENT_FRAME);
        }
        return true;
    }

    /** An MP4 of one second holding one 16×16 H.264 frame; the media data box carries the rest of the size. */
    private static boolean mp4(OutputStream out, SplittableRandom random, int size) throws IOException {
        int y = 40 + random.nextInt(180);
        int cb = 64 + random.nextInt(128);
        int cr = 64 + random.nextInt(128);
        H264 video = new H264(y, cb, cr);
        byte[] sample = ByteBuffer.allocate(4 + video.slice.length).putInt(video.slice.length).put(video.slice).array();
        byte[] ftyp = Mp4.box("ftyp", "isom".getBytes(StandardCharsets.US_ASCII), Mp4.ints(0x200),
            "isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII));
        int moovLength = Mp4.moov(video, sample.length, 0).length;
        byte[] moov = Mp4.moov(video, sample.length, ftyp.length + moovLength + 8);
        long padding = (long) size - ftyp.length - moov.length - 8 - sample.length;
        if (padding < 0) {
            return false;
        }
        out.write(ftyp);
        out.write(moov);
        out.write(ByteBuffer.allocate(8).putInt((int) (8 + sample.length + padding)).put("mdat".getBytes(StandardCharsets.US_ASCII)).array());
        out.write(sample);
        filler(out, random, padding, AS_IS);
        return true;
    }

    /** One IDR picture of one macroblock coded as raw samples (I_PCM): Baseline profile, level 1. */
    private static final class H264 {
        final byte[] sps;
        final byte[] pps;
        final byte[] slice;

        H264(int y, int cb, int cr) {
            Bits s = new Bits();
            s.u(8, 66).u(8, 0xC0).u(8, 10); // Constrained Baseline, level 1
            s.ue(0).ue(0).ue(2).ue(1).u(1, 0); // sps id, log2_max_frame_num-4, pic_order_cnt_type 2, 1 reference frame
            s.ue(0).ue(0).u(1, 1).u(1, 1).u(1, 0).u(1, 0); // 1×1 macroblocks, frames only, direct 8×8, no cropping, no VUI
            sps = nal(0x67, s.trailing());
            Bits p = new Bits();
            p.ue(0).ue(0).u(1, 0).u(1, 0).ue(0).ue(0).ue(0).u(1, 0).u(2, 0); // ids, CAVLC, one slice group, no weighting
            p.se(0).se(0).se(0).u(1, 0).u(1, 0).u(1, 0); // QP offsets, default deblocking, no constrained intra or redundancy
            pps = nal(0x68, p.trailing());
            Bits i = new Bits();
            i.ue(0).ue(7).ue(0).u(4, 0).ue(0); // first macroblock, I slice, pps 0, frame_num 0, idr_pic_id 0
            i.u(1, 0).u(1, 0).se(0); // dec_ref_pic_marking, slice_qp_delta
            i.ue(25).alignZero(); // mb_type I_PCM, then byte-aligned samples
            for (int n = 0; n < 256; n++) {
                i.u(8, y);
            }
            for (int n = 0; n < 64; n++) {
                i.u(8, cb);
            }
            for (int n = 0; n < 64; n++) {
                i.u(8, cr);
            }
            slice = nal(0x65, i.trailing());
        }

        /** A NAL unit: its header byte, then the payload with emulation prevention bytes. */
        private static byte[] nal(int header, byte[] rbsp) {
            ByteArrayOutputStream nal = new ByteArrayOutputStream();
            nal.write(header);
            int zeros = 0;
            for (byte b : rbsp) {
                if (zeros >= 2 && (b & 0xFF) <= 3) {
                    nal.write(3);
                    zeros = 0;
                }
                nal.write(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            return nal.toByteArray();
        }
    }

    /** Writes bits most significant first, with H.264's Exp-Golomb codes. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int current;
        private int count;

        Bits u(int bits, int value) {
            for (int i = bits - 1; i >= 0; i--) {
                current = current << 1 | (value >>> i & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits ue(int value) {
            int length = 32 - Integer.numberOfLeadingZeros(value + 1);
            return u(length - 1, 0).u(length, value + 1);
        }

        Bits se(int value) {
            return ue(value <= 0 ? -2 * value : 2 * value - 1);
        }

        Bits alignZero() {
            while (count != 0) {
                u(1, 0);
            }
            return this;
        }

        byte[] trailing() {
            u(1, 1).alignZero();
            return out.toByteArray();
        }
    }

    /** ISO base media boxes for one video track of one sample. */
    private static final class Mp4 {
        private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
        private static final int TIMESCALE = 1000;
        private static final int DURATION = 1000;

        static byte[] moov(H264 video, int sampleLength, int sampleOffset) {
            byte[] avcC = box("avcC", new byte[] {1, 66, (byte) 0xC0, 10, (byte) 0xFF, (byte) 0xE1},
                shorts(video.sps.length), video.sps, new byte[] {1}, shorts(video.pps.length), video.pps);
            byte[] avc1 = box("avc1", new byte[6], shorts(1, 0, 0), new byte[12], shorts(16, 16), ints(0x480000, 0x480000, 0),
                shorts(1), new byte[32], shorts(0x18, 0xFFFF), avcC);
            byte[] stbl = box("stbl",
                full("stsd", 0, ints(1), avc1),
                full("stts", 0, ints(1, 1, DURATION)),
                full("stsc", 0, ints(1, 1, 1, 1)),
                full("stsz", 0, ints(0, 1, sampleLength)),
                full("stco", 0, ints(1, sampleOffset)));
            byte[] minf = box("minf", full("vmhd", 1, new byte[8]), box("dinf", full("dref", 0, ints(1), full("url ", 1))), stbl);
            byte[] mdia = box("mdia",
                full("mdhd", 0, ints(0, 0, TIMESCALE, DURATION), shorts(0x55C4, 0)), // language "und"
                full("hdlr", 0, ints(0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[12],
                    "VideoHandler\0".getBytes(StandardCharsets.US_ASCII)),
                minf);
            byte[] tkhd = full("tkhd", 3, ints(0, 0, 1, 0, DURATION, 0, 0, 0, 0), ints(MATRIX), ints(16 << 16, 16 << 16));
            byte[] mvhd = full("mvhd", 0, ints(0, 0, TIMESCALE, DURATION, 0x10000), shorts(0x100, 0), new byte[8], ints(MATRIX),
                new byte[24], ints(2));
            return box("moov", mvhd, box("trak", tkhd, mdia));
        }

        static byte[] box(String type, byte[]... parts) {
            int length = 8 + Arrays.stream(parts).mapToInt(p -> p.length).sum();
            ByteBuffer box = ByteBuffer.allocate(length).putInt(length).put(type.getBytes(StandardCharsets.US_ASCII));
            for (byte[] part : parts) {
                box.put(part);
            }
            return box.array();
        }

        static byte[] full(String type, int flags, byte[]... parts) {
            byte[][] all = new byte[parts.length + 1][];
            all[0] = ints(flags); // version 0 in the top byte
            System.arraycopy(parts, 0, all, 1, parts.length);
            return box(type, all);
        }

        static byte[] ints(int... values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length);
            for (int v : values) {
                b.putInt(v);
            }
            return b.array();
        }

        static byte[] shorts(int... values) {
            ByteBuffer b = ByteBuffer.allocate(2 * values.length);
            for (int v : values) {
                b.putShort((short) v);
            }
            return b.array();
        }
    }
}
