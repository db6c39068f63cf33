package io.chatplatform.history.media;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.event.Media;
import io.chatplatform.common.event.MessageEvent;
import io.chatplatform.common.event.StreamEvent;
import io.chatplatform.history.Eventually;
import io.chatplatform.history.TestLog;
import io.chatplatform.history.TestUsers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** POST/GET /media over real HTTP against the GridFS bucket in the test MongoDB (mongo-java-server). */
@QuarkusTest
class MediaTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    RedisDataSource redis;
    @Inject
    Redis raw;
    @Inject
    MediaStore store;
    @Inject
    MediaUrls urls;
    @Inject
    MediaSweeper sweeper;
    @Inject
    MediaAccess access;

    @TestHTTPResource("/media")
    URL media;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRoundTripIsByteExactAndCarriesTheSha256() throws Exception {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        byte[] pdf = pdf(300 * 1024 + 7, 1);
        JsonPath up = me.api().contentType("application/pdf").body(pdf).queryParam("name", "report 1.pdf")
                .post("/media").then().statusCode(201).extract().jsonPath();
        assertEquals(sha256(pdf), up.getString("sha256"));
        assertEquals(pdf.length, up.getLong("size"));
        assertEquals("application/pdf", up.getString("mime"));
        assertEquals("report 1.pdf", up.getString("name"));
        assertNull(up.get("thumbnail"));
        // the record chat-service checks a send with media {id} against, for history.media.unreferenced-after
        String record = redis.value(String.class).get(io.chatplatform.common.media.MediaKeys.upload(up.getString("id")));
        assertNotNull(record, "media:{id} written");
        JsonPath r = JsonPath.from(record);
        assertEquals(me.uid(), r.getLong("owner"));
        assertEquals(sha256(pdf), r.getString("sha256"));
        assertEquals("report 1.pdf", r.getString("name"));
        long ttl = redis.key(String.class).ttl(io.chatplatform.common.media.MediaKeys.upload(up.getString("id")));
        assertTrue(ttl > 82_800 && ttl <= 86_400, "expires after about a day: " + ttl);
        Response got = me.api().get("/media/" + up.getString("id"));
        got.then().statusCode(200).header("Content-Type", "application/pdf")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", startsWith("private"))
                .header("ETag", "\"" + sha256(pdf) + "\"")
                .header("Content-Disposition", startsWith("attachment"));
        assertArrayEquals(pdf, got.asByteArray());

        // an image is served inline
        byte[] png = png(40, 30);
        String id = me.api().contentType("image/png").body(png).post("/media").then().statusCode(201).extract().path("id");
        Response img = me.api().get("/media/" + id);
        img.then().statusCode(200).header("Content-Type", "image/png");
        assertNull(img.header("Content-Disposition"));
        assertArrayEquals(png, img.asByteArray());
    }

    @Test
    void aLargeUploadIsStreamedNotBuffered_andTheQuotaHolds() throws Exception {
        long uid = TestLog.newId();
        TestUsers.User me = new TestUsers(redis).login(uid);
        int size = 15 * MIB;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long[] heapAt12 = {-1, -1};
        long chunksBefore = chunkCount();
        long base = usedHeapAfterGc();
        InputStream body = generated(size, 2, sent, offset -> {
            if (offset == 12 * MIB) {
                // let the server drain what is in flight, then look: a streaming server has stored most of it
                sleep(1500);
                heapAt12[0] = usedHeapAfterGc();
                heapAt12[1] = chunkCount() - chunksBefore;
            }
        });
        long t0 = System.nanoTime();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(media.toString()))
                .header("Authorization", "Bearer " + me.token()).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        double upSeconds = (System.nanoTime() - t0) / 1e9 - 1.5; // without the pause below
        System.out.printf("MEDIA-BENCH at 12 MiB sent: %d chunks stored, heap +%d KiB%n", heapAt12[1], (heapAt12[0] - base) / 1024);
        assertEquals(201, res.statusCode(), res.body());
        JsonPath up = JsonPath.from(res.body());
        String hex = HexFormat.of().formatHex(sent.digest());
        assertEquals(hex, up.getString("sha256"));
        assertEquals(size, up.getLong("size"));
        // streamed: GridFS chunks were written while the client was still sending; and the heap grew by no more than
        // what the store itself holds (the test's mongo-java-server keeps chunks in this JVM's heap) plus a little
        assertTrue(heapAt12[1] > 0, "no chunk stored after 12 MiB sent: the body was buffered before the upload began");
        long storedBytes = heapAt12[1] * 255 * 1024;
        long uploadGrowth = heapAt12[0] - base - storedBytes;
        assertTrue(uploadGrowth < 6L * MIB, "heap grew by " + uploadGrowth / MIB + " MiB beyond the " + heapAt12[1] + " stored chunks");

        // streamed back: read it in 1 MiB steps and look at the heap half-way
        long t1 = System.nanoTime();
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(URI.create(media + "/" + up.getString("id")))
                .header("Authorization", "Bearer " + me.token()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long read = 0;
        long downloadGrowth = -1;
        long baseDown = usedHeapAfterGc();
        try (InputStream in = down.body()) {
            byte[] buf = new byte[MIB];
            int r;
            while ((r = in.readNBytes(buf, 0, buf.length)) > 0) {
                got.update(buf, 0, r);
                read += r;
                if (read == 8L * MIB) {
                    downloadGrowth = usedHeapAfterGc() - baseDown;
                }
            }
        }
        double downSeconds = (System.nanoTime() - t1) / 1e9;
        assertEquals(size, read);
        assertEquals(hex, HexFormat.of().formatHex(got.digest()));
        assertTrue(downloadGrowth < 8L * MIB, "heap grew by " + downloadGrowth / MIB + " MiB half-way through the download");
        System.out.printf("MEDIA-BENCH chunks stored at 12 MiB sent: %d%n", heapAt12[1]);
        System.out.printf("MEDIA-BENCH upload %.1f MiB/s, download %.1f MiB/s, heap growth mid-upload %d KiB, mid-download %d KiB%n",
                15 / upSeconds, 15 / downSeconds, uploadGrowth / 1024, downloadGrowth / 1024);

        // quota (test: 24 MiB): 15 MiB stored, 10 more do not fit; nothing of the refused upload stays
        long chunks = chunkCount();
        me.api().contentType("application/pdf").body(pdf(10 * MIB, 3)).post("/media")
                .then().statusCode(413).body("error", equalTo("QUOTA_EXCEEDED"));
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(media.toString()))
                .header("Authorization", "Bearer " + me.token()).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated(10 * MIB, 4, sha(), o -> { })))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("QUOTA_EXCEEDED"), chunked.body());
        assertEquals(chunks, chunkCount(), "the aborted upload's chunks are gone");
        assertEquals(size, store.usedBytes(uid));
    }

    @Test
    void tooLargeWrongTypeAndEmptyAreRefused() throws Exception {
        long uid = TestLog.newId();
        TestUsers.User me = new TestUsers(redis).login(uid);
        long chunks = chunkCount();
        // over history.media.max-bytes (20 MiB), without Content-Length: counted while streaming, then aborted
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(media.toString()))
                .header("Authorization", "Bearer " + me.token()).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated(20 * MIB + 1, 5, sha(), o -> { })))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, big.statusCode(), big.body());
        assertTrue(big.body().contains("TOO_LARGE"), big.body());
        assertEquals(chunks, chunkCount(), "nothing half-written stays");
        assertEquals(0, store.usedBytes(uid));
        // with a Content-Length above the limit it is refused before any byte is stored
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(media.toString()))
                .header("Authorization", "Bearer " + me.token()).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 * MIB + 1])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, declared.statusCode(), declared.body());

        byte[] html = "<!DOCTYPE html><html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        me.api().contentType("image/png").body(html).post("/media").then().statusCode(415)
                .body("error", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        me.api().contentType("text/html").body(html).post("/media").then().statusCode(415);
        me.api().contentType("image/png").body(jpeg(20, 20)).post("/media").then().statusCode(415);
        me.api().contentType("application/octet-stream").body(new byte[] {0x4D, 0x5A, (byte) 0x90, 0, 3, 0}).post("/media")
                .then().statusCode(415);
        me.api().contentType("text/plain").body(new byte[0]).post("/media").then().statusCode(400)
                .body("error", equalTo("INVALID_FIELD"));
        // no declared type: the sniffed one
        me.api().contentType("application/octet-stream").body("hello, world\n".getBytes(StandardCharsets.UTF_8)).post("/media")
                .then().statusCode(201).body("mime", equalTo("text/plain"));
        RestAssured.given().contentType("text/plain").body("x").post("/media").then().statusCode(401);
        assertEquals(chunks + 1, chunkCount());
    }

    @Test
    void rangesAndConditionalRequests() throws Exception {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        byte[] pdf = pdf(1000, 6);
        String id = me.api().contentType("application/pdf").body(pdf).post("/media").then().statusCode(201).extract().path("id");
        Response part = me.api().header("Range", "bytes=10-19").get("/media/" + id);
        part.then().statusCode(206).header("Content-Range", "bytes 10-19/1000").header("Content-Length", "10");
        assertArrayEquals(Arrays.copyOfRange(pdf, 10, 20), part.asByteArray());
        Response tail = me.api().header("Range", "bytes=-5").get("/media/" + id);
        tail.then().statusCode(206).header("Content-Range", "bytes 995-999/1000");
        assertArrayEquals(Arrays.copyOfRange(pdf, 995, 1000), tail.asByteArray());
        Response open = me.api().header("Range", "bytes=990-").get("/media/" + id);
        open.then().statusCode(206).header("Content-Range", "bytes 990-999/1000");
        me.api().header("Range", "bytes=1000-").get("/media/" + id).then().statusCode(416).header("Content-Range", "bytes */1000");

        String etag = me.api().get("/media/" + id).then().statusCode(200).extract().header("ETag");
        me.api().header("If-None-Match", etag).get("/media/" + id).then().statusCode(304).header("ETag", etag);
        me.api().header("If-None-Match", "\"other\"").get("/media/" + id).then().statusCode(200);
    }

    @Test
    void imagesGetDimensionsAndA320pxJpegThumbnail() throws Exception {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        JsonPath png = me.api().contentType("image/png").body(png(1000, 600)).post("/media").then().statusCode(201)
                .extract().jsonPath();
        assertEquals(1000, png.getInt("width"));
        assertEquals(600, png.getInt("height"));
        assertNotNull(png.getString("thumbnail"));
        Response thumb = me.api().get("/media/" + png.getString("id") + "/thumbnail");
        thumb.then().statusCode(200).header("Content-Type", "image/jpeg").header("X-Content-Type-Options", "nosniff");
        BufferedImage t = ImageIO.read(new ByteArrayInputStream(thumb.asByteArray()));
        assertEquals(320, t.getWidth());
        assertEquals(192, t.getHeight());
        // the picture survived the scaling: left half red, right half blue
        assertTrue(new Color(t.getRGB(40, 96)).getRed() > 200);
        assertTrue(new Color(t.getRGB(280, 96)).getBlue() > 200);

        JsonPath jpg = me.api().contentType("image/jpeg").body(jpeg(400, 900)).post("/media").then().statusCode(201)
                .extract().jsonPath();
        assertEquals(400, jpg.getInt("width"));
        assertEquals(900, jpg.getInt("height"));
        BufferedImage tj = ImageIO.read(new ByteArrayInputStream(
                me.api().get("/media/" + jpg.getString("id") + "/thumbnail").then().statusCode(200).extract().asByteArray()));
        assertEquals(142, tj.getWidth());
        assertEquals(320, tj.getHeight());

        // a signed thumbnail URL works without a bearer
        RestAssured.get(png.getString("thumbnail")).then().statusCode(200).header("Content-Type", "image/jpeg");
        // a PDF has no thumbnail
        String pdf = me.api().contentType("application/pdf").body(pdf(100, 7)).post("/media").then().extract().path("id");
        me.api().get("/media/" + pdf + "/thumbnail").then().statusCode(404);
    }

    @Test
    void membersOfAConversationHoldingTheMediaMayReadIt_othersGet404() throws Exception {
        TestUsers users = new TestUsers(redis);
        long a = TestLog.newId();
        long b = TestLog.newId();
        long gid = TestLog.newId();
        users.joinGroup(gid, a, b);
        TestUsers.User owner = users.login(a);
        TestUsers.User member = users.login(b);
        TestUsers.User outsider = users.login(TestLog.newId());
        String id = owner.api().contentType("image/png").body(png(10, 10)).post("/media").then().statusCode(201)
                .extract().path("id");

        Response missing = outsider.api().get("/media/" + new org.bson.types.ObjectId().toHexString());
        missing.then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        member.api().get("/media/" + id).then().statusCode(404); // not in any message yet
        outsider.api().get("/media/not-an-id").then().statusCode(404);

        String conv = "g." + gid;
        TestLog.append(raw, new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), conv, 1, a,
                "dev-" + a, MessageEvent.USER, "image", "look",
                new Media(null, "image/png", 0L, null, 10, 10, null, id, null, null), System.currentTimeMillis(), null));
        Eventually.await(Duration.ofSeconds(20), "stored", () -> member.api().get("/media/" + id).statusCode() == 200);
        member.api().get("/media/" + id + "/thumbnail").then().statusCode(200);
        Response denied = outsider.api().get("/media/" + id);
        denied.then().statusCode(404);
        assertEquals(missing.asString(), denied.asString(), "indistinguishable from a missing file");
        outsider.api().get("/media/" + id + "/thumbnail").then().statusCode(404);
        RestAssured.get("/media/" + id).then().statusCode(401);

        // history items carry a fresh signed url
        String url = member.api().get("/history/conversations/" + conv + "/messages").then().statusCode(200)
                .extract().path("items[0].media.url");
        assertNotNull(url);
        RestAssured.get(url).then().statusCode(200).header("Content-Type", "image/png");
    }

    @Test
    void signedUrls() {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        JsonPath up = me.api().contentType("application/pdf").body(pdf(500, 8)).post("/media").then().statusCode(201)
                .extract().jsonPath();
        String id = up.getString("id");
        String url = up.getString("url");
        RestAssured.get(url).then().statusCode(200).header("Content-Type", "application/pdf");
        String tampered = url.substring(0, url.length() - 2) + (url.endsWith("AA") ? "BB" : "AA");
        RestAssured.get(tampered).then().statusCode(403).body("error", equalTo("FORBIDDEN"));
        long exp = System.currentTimeMillis() / 1000 + 600;
        // another file's id with this file's signature
        String other = new org.bson.types.ObjectId().toHexString();
        RestAssured.get("/media/" + other + "?exp=" + exp + "&sig=" + urls.sign(id, exp)).then().statusCode(403);
        RestAssured.get("/media/" + other + "?exp=" + exp + "&sig=" + urls.sign(other, exp)).then().statusCode(404);
        // a later exp with the old signature
        RestAssured.get("/media/" + id + "?exp=" + (exp + 1) + "&sig=" + urls.sign(id, exp)).then().statusCode(403);
        long past = System.currentTimeMillis() / 1000 - 1;
        RestAssured.get("/media/" + id + "?exp=" + past + "&sig=" + urls.sign(id, past)).then().statusCode(403)
                .body("message", equalTo("the link expired"));
        RestAssured.get("/media/" + id + "?exp=soon&sig=x").then().statusCode(403);
    }

    @Test
    void unreferencedUploadsAreSweptReferencedOnesStay() throws Exception {
        long a = TestLog.newId();
        long gid = TestLog.newId();
        TestUsers users = new TestUsers(redis);
        users.joinGroup(gid, a);
        TestUsers.User me = users.login(a);
        String kept = me.api().contentType("image/png").body(png(12, 12)).post("/media").then().statusCode(201)
                .extract().path("id");
        String dropped = me.api().contentType("image/png").body(png(14, 14)).post("/media").then().statusCode(201)
                .extract().path("id");
        TestLog.append(raw, new MessageEvent(StreamEvent.VERSION, MessageEvent.TYPE, UUID.randomUUID().toString(), "g." + gid,
                1, a, "dev-" + a, MessageEvent.USER, "image", null,
                new Media(null, "image/png", 0L, null, 12, 12, null, kept, null, null), System.currentTimeMillis(), null));
        Eventually.await(Duration.ofSeconds(20), "message stored", () -> access.referenced(store.find(new org.bson.types.ObjectId(kept))));

        sweeper.sweep(java.time.Instant.now().minus(Duration.ofDays(1)));
        me.api().get("/media/" + dropped).then().statusCode(200); // younger than the threshold
        long thumbs = store.files().countDocuments(com.mongodb.client.model.Filters.exists(MediaFile.THUMB_OF));

        assertTrue(sweeper.sweep(java.time.Instant.now().plusSeconds(5)) >= 1);
        me.api().get("/media/" + dropped).then().statusCode(404);
        assertNull(redis.value(String.class).get(io.chatplatform.common.media.MediaKeys.upload(dropped)), "its record went too");
        assertEquals(0, store.chunks().countDocuments(com.mongodb.client.model.Filters.eq("files_id",
                new org.bson.types.ObjectId(dropped))), "its chunks went");
        assertTrue(store.files().countDocuments(com.mongodb.client.model.Filters.exists(MediaFile.THUMB_OF)) < thumbs,
                "and its thumbnail");
        me.api().get("/media/" + kept).then().statusCode(200);
        me.api().get("/media/" + kept + "/thumbnail").then().statusCode(200);
        assertNotNull(redis.value(String.class).get(io.chatplatform.common.media.MediaKeys.upload(kept)));
    }

    @Test
    void chunksOfAnUploadWhoseProcessDiedAreSwept() {
        // what GridFS leaves when the process dies mid-upload: chunks, and no file document (it is written at close)
        org.bson.types.ObjectId died = new org.bson.types.ObjectId(java.util.Date.from(java.time.Instant.now().minusSeconds(60)));
        org.bson.types.ObjectId running = new org.bson.types.ObjectId();
        for (org.bson.types.ObjectId upload : java.util.List.of(died, running)) {
            for (int n = 0; n < 3; n++) {
                store.chunks().insertOne(new org.bson.Document("files_id", upload).append("n", n)
                        .append("data", new org.bson.types.Binary(new byte[1024])));
            }
        }

        sweeper.sweep(java.time.Instant.now().minusSeconds(30));

        assertEquals(0, store.chunks().countDocuments(com.mongodb.client.model.Filters.eq("files_id", died)),
                "the dead upload's chunks went");
        assertEquals(3, store.chunks().countDocuments(com.mongodb.client.model.Filters.eq("files_id", running)),
                "an upload younger than the threshold may still be running: kept");
        store.chunks().deleteMany(com.mongodb.client.model.Filters.eq("files_id", running));
    }

    @Test
    void audioGetsItsDurationWhereTheContainerSaysIt() throws Exception {
        TestUsers.User me = new TestUsers(redis).login(TestLog.newId());
        // Ogg Opus: pre-skip 312, the last page's granule 3 s of 48 kHz samples after it
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(19).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1).putShort((short) 312)
                .putInt(48_000).putShort((short) 0).put((byte) 0);
        ByteArrayOutputStream ogg = new ByteArrayOutputStream();
        ogg.write(oggPage(2, 0, head.array()));
        for (int i = 0; i < 40; i++) {
            ogg.write(oggPage(0, 48_000L * i / 40 + 312, new byte[200]));
        }
        ogg.write(oggPage(4, 3 * 48_000L + 312, new byte[200]));
        JsonPath opus = me.api().contentType("audio/ogg").body(ogg.toByteArray()).queryParam("name", "note.opus")
                .post("/media").then().statusCode(201).extract().jsonPath();
        assertEquals(3000, opus.getInt("durationMs"));
        String record = redis.value(String.class).get(io.chatplatform.common.media.MediaKeys.upload(opus.getString("id")));
        assertEquals(3000, JsonPath.from(record).getInt("durationMs"), "chat copies it into the message");

        // M4A with moov after mdat: mvhd timescale 44100, duration 4.5 s
        ByteArrayOutputStream m4a = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(m4a);
        out.writeInt(20);
        out.writeBytes("ftypM4A ");
        out.writeInt(0);
        out.writeBytes("M4A ");
        out.writeInt(8 + 300_000);
        out.writeBytes("mdat");
        out.write(new byte[300_000]);
        out.writeInt(8 + 108);
        out.writeBytes("moov");
        out.writeInt(108);
        out.writeBytes("mvhd");
        out.writeInt(0); // version 0, flags
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(44_100);
        out.writeInt(198_450);
        out.write(new byte[80]);
        JsonPath mp4 = me.api().contentType("audio/mp4").body(m4a.toByteArray()).post("/media").then().statusCode(201)
                .extract().jsonPath();
        assertEquals(4500, mp4.getInt("durationMs"));

        // a container that does not say: no durationMs at all
        byte[] bare = new byte[1000];
        System.arraycopy("OggS".getBytes(StandardCharsets.US_ASCII), 0, bare, 0, 4);
        assertNull(me.api().contentType("audio/ogg").body(bare).post("/media").then().statusCode(201)
                .extract().path("durationMs"));
    }

    private static byte[] oggPage(int headerType, long granule, byte[] data) {
        int segments = data.length / 255 + 1;
        java.nio.ByteBuffer page = java.nio.ByteBuffer.allocate(27 + segments + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) headerType).putLong(granule)
                .putInt(7).putInt(0).putInt(0).put((byte) segments);
        for (int i = 0; i < segments - 1; i++) {
            page.put((byte) 255);
        }
        page.put((byte) (data.length % 255));
        page.put(data);
        return page.array();
    }

    // ------------------------------------------------------------------ helpers

    private long chunkCount() {
        return store.chunks().countDocuments();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** "%PDF-" then pseudo-random bytes, served in 1 MiB reads; {@code at} is told each 1 MiB boundary passed. */
    private static InputStream generated(int size, long seed, MessageDigest digest, IntConsumer at) {
        return new InputStream() {
            private final Random random = new Random(seed);
            private int offset;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (offset >= size) {
                    return -1;
                }
                int n = Math.min(Math.min(len, MIB - offset % MIB), size - offset);
                byte[] chunk = new byte[n];
                random.nextBytes(chunk);
                if (offset == 0) {
                    System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, Math.min(9, n));
                }
                System.arraycopy(chunk, 0, b, off, n);
                digest.update(chunk);
                offset += n;
                if (offset % MIB == 0) {
                    at.accept(offset);
                }
                return n;
            }
        };
    }

    static byte[] pdf(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] magic = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, b, 0, Math.min(magic.length, size));
        return b;
    }

    static byte[] png(int w, int h) throws Exception {
        return image(w, h, "png", BufferedImage.TYPE_INT_ARGB);
    }

    static byte[] jpeg(int w, int h) throws Exception {
        return image(w, h, "jpg", BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] image(int w, int h, String format, int type) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
