package io.chatplatform.history.media;

/** A single {@code Range: bytes=a-b | a- | -n}; several ranges or another unit are ignored (the whole file, 200). */
final class ByteRange {

    static final long[] UNSATISFIABLE = new long[0];

    private ByteRange() {
    }

    /** {start, end} inclusive, {@link #UNSATISFIABLE}, or null for "serve the whole file". */
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (start < 0 || start >= size || end < start) {
                return UNSATISFIABLE;
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
