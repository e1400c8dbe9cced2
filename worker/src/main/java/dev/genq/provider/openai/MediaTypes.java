package dev.genq.provider.openai;

/** Names an image's media type from its first bytes: base64 answers carry no header to say it. */
final class MediaTypes {
    private MediaTypes() {
    }

    static String sniffImage(byte[] bytes) {
        if (starts(bytes, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (starts(bytes, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
