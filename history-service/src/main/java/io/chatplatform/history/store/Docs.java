package io.chatplatform.history.store;

import org.bson.Document;

/** Null-safe typed reads from documents (numbers may come back as Int32 or Int64). */
public final class Docs {

    private Docs() {
    }

    public static long getLong(Document d, String field, long fallback) {
        Object value = d.get(field);
        return value instanceof Number n ? n.longValue() : fallback;
    }

    public static Long getLongOrNull(Document d, String field) {
        Object value = d.get(field);
        return value instanceof Number n ? n.longValue() : null;
    }

    public static Integer getIntOrNull(Document d, String field) {
        Object value = d.get(field);
        return value instanceof Number n ? n.intValue() : null;
    }

    /** Puts the value unless it is null (documents omit absent fields). */
    public static Document putIfNotNull(Document d, String field, Object value) {
        if (value != null) {
            d.append(field, value);
        }
        return d;
    }
}
