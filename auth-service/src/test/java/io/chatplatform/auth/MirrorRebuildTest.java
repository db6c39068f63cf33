package io.chatplatform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chatplatform.auth.group.MirrorRebuild;
import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis loses the mirrors for real (FLUSHALL on every node, a restart of the embedded servers without persistence):
 * auth rebuilds them from MySQL by itself, serves rebuild requests on auth:mirror:rebuild, and its reconcile removes
 * stale entries.
 */
@QuarkusTest
@Tag("cluster")
class MirrorRebuildTest {

    @Inject
    MirrorRebuild rebuild;

    @Test
    void groupsComeBackAfterFlushAll() {
        Fixture fixture = Fixture.create();
        StoresTestResource.flushRedis();
        assertTrue(Mirrors.members(fixture.gid).isEmpty(), "FLUSHALL removed the mirror");
        long ms = fixture.awaitMirrored(Duration.ofSeconds(15));
        System.out.printf("[mirror] after FLUSHALL (%s) mirrors back in %d ms%n", StoresTestResource.redisClientType(), ms);
        Api.as(fixture.owner.token()).get("/groups/" + fixture.gid).then().statusCode(401); // sessions are gone with Redis
    }

    @Test
    void groupsComeBackAfterARestartWithoutPersistence() {
        Fixture fixture = Fixture.create();
        assumeTrue(StoresTestResource.restartRedis(), "Redis is a real server the tests do not own");
        long ms = fixture.awaitMirrored(Duration.ofSeconds(20));
        System.out.printf("[mirror] after a Redis restart (%s) mirrors back in %d ms%n", StoresTestResource.redisClientType(), ms);
    }

    @Test
    void aRebuildRequestIsServedAndAnUnknownGroupIsMarkedAbsent() {
        Fixture fixture = Fixture.create();
        Mirrors.redis("DEL", "group:{" + fixture.gid + "}:members");
        Mirrors.redis("PUBLISH", "auth:mirror:rebuild", Long.toString(fixture.gid));
        long ms = Mirrors.await("group rebuilt on request", Duration.ofSeconds(5),
                () -> Mirrors.members(fixture.gid).equals(fixture.members()));
        System.out.printf("[mirror] rebuild request served in %d ms%n", ms);
        assertNull(Mirrors.redis("GET", "group:{" + fixture.gid + "}:absent"));

        long unknown = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        Mirrors.redis("PUBLISH", "auth:mirror:rebuild", Long.toString(unknown));
        Mirrors.await("absent marker", Duration.ofSeconds(5), () -> "1".equals(Mirrors.redis("GET", "group:{" + unknown + "}:absent")));
        long ttl = (Long) Mirrors.redis("TTL", "group:{" + unknown + "}:absent");
        assertTrue(ttl > 0 && ttl <= 60, "absent marker expires within 60 s: " + ttl);
        assertTrue(Mirrors.members(unknown).isEmpty());
    }

    @Test
    void rebuildRequestsAreServedAgainAfterARedisRestart() {
        Fixture fixture = Fixture.create();
        assumeTrue(StoresTestResource.restartRedis(), "Redis is a real server the tests do not own");
        // the marker check rebuilds everything too: take the group out again, then ask for it alone
        fixture.awaitMirrored(Duration.ofSeconds(20));
        Mirrors.redis("DEL", "group:{" + fixture.gid + "}:members");
        long ms = Mirrors.await("request after the restart served", Duration.ofSeconds(15), () -> {
            Mirrors.redis("PUBLISH", "auth:mirror:rebuild", Long.toString(fixture.gid));
            return Mirrors.members(fixture.gid).equals(fixture.members());
        });
        System.out.printf("[mirror] first rebuild request served %d ms after the restart%n", ms);
    }

    @Test
    void theReconcileRemovesStaleEntries() throws Exception {
        Fixture fixture = Fixture.create();
        long ghost = 800_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
        Mirrors.redis("SADD", "group:{" + fixture.gid + "}:members", "424242");
        Mirrors.redis("SADD", "user:{" + fixture.bob + "}:groups", Long.toString(ghost));
        Mirrors.redis("SREM", "user:{" + fixture.cat + "}:groups", Long.toString(fixture.gid));
        // cat left in MySQL behind the mirror's back: her entries are stale
        try (Connection db = Mirrors.mysql(); Statement sql = db.createStatement()) {
            sql.executeUpdate("DELETE FROM group_members WHERE group_id = " + fixture.gid + " AND user_id = " + fixture.cat);
        }
        rebuild.allGroups();
        rebuild.allUsers();
        assertEquals(Set.of(fixture.owner.id(), fixture.bob), Mirrors.members(fixture.gid));
        assertFalse(Mirrors.groupsOf(fixture.bob).contains(ghost), "stale group id removed");
        assertTrue(Mirrors.groupsOf(fixture.bob).contains(fixture.gid));
        assertFalse(Mirrors.groupsOf(fixture.cat).contains(fixture.gid), "stale membership removed");
    }

    @Test
    void rebuildsRacingMembershipChangesEndWithTheNewestState() throws Exception {
        Fixture fixture = Fixture.create();
        List<Long> extra = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            extra.add(Api.register(Api.uniqueName("mx")));
        }
        java.util.concurrent.ExecutorService others = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.atomic.AtomicBoolean changing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<java.util.concurrent.Future<Integer>> rebuilds = new ArrayList<>();
        for (int t = 0; t < 2; t++) { // two "auth instances" rebuilding over and over
            rebuilds.add(others.submit(() -> {
                int rounds = 0;
                while (changing.get()) {
                    rebuild.allGroups();
                    rebuild.group(fixture.gid);
                    rounds++;
                }
                return rounds;
            }));
        }
        Set<Long> expected = new java.util.HashSet<>(fixture.members());
        try {
            for (long uid : extra) {
                Api.as(fixture.owner.token()).body(Map.of("members", List.of(uid))).post("/groups/" + fixture.gid + "/members")
                        .then().statusCode(200);
                expected.add(uid);
                if (uid % 2 == 0) {
                    Api.as(fixture.owner.token()).delete("/groups/" + fixture.gid + "/members/" + uid).then().statusCode(200);
                    expected.remove(uid);
                }
            }
        } finally {
            changing.set(false);
        }
        int rounds = 0;
        for (var done : rebuilds) {
            rounds += done.get();
        }
        others.shutdown();
        assertTrue(rounds >= 2, "the rebuilds ran while members changed: " + rounds);
        assertEquals(expected, Mirrors.members(fixture.gid), "the mirror ends with MySQL's newest state");
        for (long uid : extra) {
            assertEquals(expected.contains(uid), Mirrors.groupsOf(uid).contains(fixture.gid), "reverse entry of " + uid);
        }
    }

    @Test
    void aFullRebuildOfManyGroupsPagesThroughMySql() throws Exception {
        Fixture fixture = Fixture.create();
        int count = 2000;
        List<Long> created = new ArrayList<>();
        try (Connection db = Mirrors.mysql()) {
            db.setAutoCommit(false);
            try (PreparedStatement group = db.prepareStatement(
                    "INSERT INTO chat_groups (name, owner_id, created_at) VALUES ('bulk', ?, NOW(3))",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < count; i++) {
                    group.setLong(1, fixture.owner.id());
                    group.addBatch();
                }
                group.executeBatch();
                try (ResultSet keys = group.getGeneratedKeys()) {
                    while (keys.next()) {
                        created.add(keys.getLong(1));
                    }
                }
            }
            try (PreparedStatement member = db.prepareStatement("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)")) {
                for (long gid : created) {
                    for (long uid : List.of(fixture.owner.id(), fixture.bob, fixture.cat)) {
                        member.setLong(1, gid);
                        member.setLong(2, uid);
                        member.addBatch();
                    }
                }
                member.executeBatch();
            }
            db.commit();
        }
        assertEquals(count, created.size());
        long started = System.nanoTime();
        int groups = rebuild.allGroups();
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("[mirror] full rebuild (%s): %d groups in %d ms%n", StoresTestResource.redisClientType(), groups, ms);
        assertTrue(groups >= count);
        for (long gid : List.of(created.get(0), created.get(count / 2), created.get(count - 1))) {
            assertEquals(Set.of(fixture.owner.id(), fixture.bob, fixture.cat), Mirrors.members(gid));
        }
        assertTrue(Mirrors.groupsOf(fixture.cat).containsAll(created), "reverse sets hold every bulk group");
        try (Connection db = Mirrors.mysql(); Statement sql = db.createStatement()) {
            // leave the shared test database as small as it was for the other classes' start-up rebuilds
            sql.executeUpdate("DELETE FROM chat_groups WHERE id BETWEEN " + created.get(0) + " AND " + created.get(count - 1));
        }
        rebuild.allUsers();
    }

    /** A group of three made through the API, with its members. */
    record Fixture(Api.Account owner, long bob, long cat, long gid) {

        static Fixture create() {
            Api.Account owner = Api.newAccount("mown", "d");
            long bob = Api.register(Api.uniqueName("mbob"));
            long cat = Api.register(Api.uniqueName("mcat"));
            long gid = ((Number) Api.as(owner.token()).body(Map.of("name", "durable", "members", List.of(bob, cat)))
                    .post("/groups").then().statusCode(201).extract().path("id")).longValue();
            Fixture fixture = new Fixture(owner, bob, cat, gid);
            assertEquals(fixture.members(), Mirrors.members(gid));
            return fixture;
        }

        Set<Long> members() {
            return Set.of(owner.id(), bob, cat);
        }

        long awaitMirrored(Duration timeout) {
            return Mirrors.await("mirrors of group " + gid + " rebuilt", timeout, () -> Mirrors.members(gid).equals(members())
                    && members().stream().allMatch(uid -> Mirrors.groupsOf(uid).contains(gid)));
        }
    }
}
