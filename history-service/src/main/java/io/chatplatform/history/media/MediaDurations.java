package io.chatplatform.history.media;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Playing time of audio/video where the container states it, read from the stored bytes (never a whole file in memory):
 * Ogg (Opus or Vorbis: the last page's granule position over the sample rate, Opus minus its pre-skip) and MP4/M4A (the
 * {@code moov/mvhd} duration over its timescale, wherever {@code moov} sits). WebM and MP3 are not read: browsers'
 * MediaRecorder WebM carries no duration, MP3 would need a frame scan. Null when unknown.
 */
final class MediaDurations {

    private static final int OGG_TAIL = 64 * 1024;
    private static final int OGG_HEAD = 4096;

    private MediaDurations() {
    }

    /** @param open opens the stored file from its start */
    static Integer of(String mime, long size, Supplier<InputStream> open) throws IOException {
        if (mime.endsWith("/ogg")) {
            return ogg(size, open);
        }
        if (mime.endsWith("/mp4")) {
            try (InputStream in = open.get()) {
                return mp4(new DataInputStream(in));
            }
        }
        return null;
    }

    private static Integer ogg(long size, Supplier<InputStream> open) throws IOException {
        byte[] head;
        try (InputStream in = open.get()) {
            head = in.readNBytes(OGG_HEAD);
        }
        long rate;
        long preSkip = 0;
        int opus = indexOf(head, "OpusHead".getBytes(StandardCharsets.US_ASCII), 0);
        int vorbis = indexOf(head, "\u0001vorbis".getBytes(StandardCharsets.US_ASCII), 0);
        if (opus >= 0 && opus + 12 <= head.length) {
            rate = 48_000; // Opus granules always count 48 kHz samples
            preSkip = u16(head, opus + 10);
        } else if (vorbis >= 0 && vorbis + 16 <= head.length) {
            rate = u32(head, vorbis + 12);
        } else {
            return null;
        }
        byte[] tail;
        try (InputStream in = open.get()) {
            long from = Math.max(0, size - OGG_TAIL);
            in.skipNBytes(from);
            tail = in.readAllBytes();
        }
        byte[] capture = "OggS".getBytes(StandardCharsets.US_ASCII);
        for (int i = tail.length - 27; i >= 0; i--) {
            if (tail[i] == capture[0] && startsAt(tail, capture, i) && tail[i + 4] == 0) {
                long granule = u32(tail, i + 6) | (u32(tail, i + 10) << 32);
                if (granule <= 0) {
                    continue; // -1: no packet ends on this page
                }
                return rate <= 0 ? null : millis(Math.max(0, granule - preSkip), rate);
            }
        }
        return null;
    }

    private static Integer mp4(DataInputStream in) throws IOException {
        try {
            while (true) {
                long size = in.readInt() & 0xFFFFFFFFL;
                String type = type(in);
                long header = 8;
                if (size == 1) {
                    size = in.readLong();
                    header = 16;
                }
                if (type.equals("moov")) {
                    return mvhd(in, size == 0 ? Long.MAX_VALUE : size - header);
                }
                if (size == 0 || size < header) {
                    return null;
                }
                in.skipNBytes(size - header);
            }
        } catch (EOFException e) {
            return null;
        }
    }

    private static Integer mvhd(DataInputStream in, long left) throws IOException {
        while (left >= 8) {
            long size = in.readInt() & 0xFFFFFFFFL;
            String type = type(in);
            if (size < 8 || size > left) {
                return null;
            }
            if (type.equals("mvhd")) {
                int version = in.readUnsignedByte();
                in.skipNBytes(3);
                long timescale;
                long duration;
                if (version == 1) {
                    in.skipNBytes(16);
                    timescale = in.readInt() & 0xFFFFFFFFL;
                    duration = in.readLong();
                } else {
                    in.skipNBytes(8);
                    timescale = in.readInt() & 0xFFFFFFFFL;
                    duration = in.readInt() & 0xFFFFFFFFL;
                }
                return timescale == 0 || duration <= 0 || duration == 0xFFFFFFFFL ? null : millis(duration, timescale);
            }
            in.skipNBytes(size - 8);
            left -= size;
        }
        return null;
    }

    private static Integer millis(long units, long perSecond) {
        long ms = units * 1000 / perSecond;
        return ms > Integer.MAX_VALUE ? null : (int) ms;
    }

    private static String type(DataInputStream in) throws IOException {
        byte[] t = new byte[4];
        in.readFully(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        for (int i = from; i <= b.length - what.length; i++) {
            if (startsAt(b, what, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsAt(byte[] b, byte[] what, int at) {
        for (int j = 0; j < what.length; j++) {
            if (b[at + j] != what[j]) {
                return false;
            }
        }
        return true;
    }

    private static long u16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }
}
