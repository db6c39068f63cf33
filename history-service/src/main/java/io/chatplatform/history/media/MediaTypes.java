package io.chatplatform.history.media;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The type of an upload, sniffed from its first bytes (a small magic-number table), and whether the type the
 * client declared agrees with it. Unknown binary data is {@code application/octet-stream}; text that looks like
 * HTML/XML/SVG is {@code text/html} (never allowed: it would run script if a browser rendered it).
 */
public final class MediaTypes {

    /** Bytes looked at. */
    public static final int HEAD = 4096;

    private MediaTypes() {
    }

    public static String sniff(byte[] b, int n) {
        if (starts(b, n, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, n, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (ascii(b, n, 0, "GIF87a") || ascii(b, n, 0, "GIF89a")) {
            return "image/gif";
        }
        if (ascii(b, n, 0, "RIFF") && ascii(b, n, 8, "WEBP")) {
            return "image/webp";
        }
        if (ascii(b, n, 0, "OggS")) {
            return "audio/ogg";
        }
        if (ascii(b, n, 0, "ID3") || (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x06) != 0)) {
            return "audio/mpeg";
        }
        if (ascii(b, n, 4, "ftyp")) {
            return ascii(b, n, 8, "M4A ") || ascii(b, n, 8, "M4B ") ? "audio/mp4" : "video/mp4";
        }
        if (starts(b, n, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "video/webm";
        }
        if (ascii(b, n, 0, "%PDF-")) {
            return "application/pdf";
        }
        if (starts(b, n, 'P', 'K', 0x03, 0x04) || starts(b, n, 'P', 'K', 0x05, 0x06)) {
            return "application/zip";
        }
        if (isText(b, n)) {
            String start = new String(b, 0, Math.min(n, 512), StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
            if (start.startsWith("\uFEFF")) {
                start = start.substring(1).stripLeading();
            }
            if (start.startsWith("<")) {
                return "text/html";
            }
            return "text/plain";
        }
        return "application/octet-stream";
    }

    /** {@code type/subtype} in lower case without parameters and with common aliases folded; null for none. */
    public static String normalize(String declared) {
        if (declared == null) {
            return null;
        }
        int semi = declared.indexOf(';');
        String t = (semi >= 0 ? declared.substring(0, semi) : declared).trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "" -> null;
            case "image/jpg", "image/pjpeg" -> "image/jpeg";
            case "audio/mp3", "audio/x-mp3", "audio/mpeg3" -> "audio/mpeg";
            case "audio/x-m4a", "audio/m4a", "audio/aac" -> "audio/mp4";
            case "application/x-zip-compressed" -> "application/zip";
            default -> t;
        };
    }

    /**
     * The stored type: the sniffed one, or the declared one where the same container holds audio or video (mp4,
     * webm, ogg). Null when they disagree. No declaration (or {@code application/octet-stream}) takes the sniffed type.
     */
    public static String reconcile(String declared, String sniffed) {
        if (declared == null || declared.equals("application/octet-stream") || declared.equals(sniffed)) {
            return sniffed;
        }
        String[] d = declared.split("/", 2);
        String[] s = sniffed.split("/", 2);
        boolean av = (d[0].equals("audio") || d[0].equals("video")) && (s[0].equals("audio") || s[0].equals("video"));
        if (av && d.length == 2 && s.length == 2 && d[1].equals(s[1]) && (d[1].equals("mp4") || d[1].equals("webm") || d[1].equals("ogg"))) {
            return declared;
        }
        return null;
    }

    /** Served inline (images, audio, video); anything else gets {@code Content-Disposition: attachment}. */
    public static boolean inline(String mime) {
        return mime.startsWith("image/") || mime.startsWith("audio/") || mime.startsWith("video/");
    }

    private static boolean isText(byte[] b, int n) {
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B)) {
                return false;
            }
        }
        // a multi-byte character may be cut at the end of the head
        int end = n;
        for (int k = 0; k < 3 && end > 0 && (b[end - 1] & 0xC0) == 0x80; k++) {
            end--;
        }
        if (end > 0 && (b[end - 1] & 0xC0) == 0xC0) {
            end--;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean starts(byte[] b, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int n, int at, String s) {
        if (n < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
