package io.chatplatform.auth.group;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads group membership from MySQL, a page at a time, for the mirror rebuilds. The {@code lock...} methods take the
 * groups' row locks ({@code FOR UPDATE}, the lock membership changes take too) and must run in a transaction: the
 * caller writes the mirror before the transaction ends, so a rebuild never overwrites a newer change with older data.
 */
@ApplicationScoped
public class MembershipReader {

    private final AgroalDataSource dataSource;

    public MembershipReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Locks the next {@code limit} groups with an id above {@code afterId} (ascending) and returns their members. */
    public TreeMap<Long, Set<Long>> lockGroupsAfter(long afterId, int limit) {
        TreeMap<Long, Set<Long>> groups = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id FROM chat_groups WHERE id > ? ORDER BY id LIMIT ? FOR UPDATE")) {
            select.setLong(1, afterId);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groups.put(rows.getLong(1), new LinkedHashSet<>());
                }
            }
            fillMembers(connection, groups);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read groups from MySQL: " + e.getMessage(), e);
        }
        return groups;
    }

    /** Locks the groups of {@code ids} that exist (ascending) and returns their members; missing ids are left out. */
    public TreeMap<Long, Set<Long>> lockGroups(Collection<Long> ids) {
        TreeMap<Long, Set<Long>> groups = new TreeMap<>();
        if (ids.isEmpty()) {
            return groups;
        }
        String in = ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id FROM chat_groups WHERE id IN (" + in + ") ORDER BY id FOR UPDATE");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                groups.put(rows.getLong(1), new LinkedHashSet<>());
            }
            fillMembers(connection, groups);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read groups from MySQL: " + e.getMessage(), e);
        }
        return groups;
    }

    /**
     * The next {@code limit} users with an id above {@code afterId} (ascending), each with the ids of its groups (empty
     * for a user in none). No locks: the reconcile checks each difference again under the group's lock.
     */
    public TreeMap<Long, Set<Long>> groupsOfUsersAfter(long afterId, int limit) {
        TreeMap<Long, Set<Long>> users = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?")) {
                select.setLong(1, afterId);
                select.setInt(2, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        users.put(rows.getLong(1), new HashSet<>());
                    }
                }
            }
            if (!users.isEmpty()) {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT user_id, group_id FROM group_members WHERE user_id BETWEEN ? AND ?")) {
                    select.setLong(1, users.firstKey());
                    select.setLong(2, users.lastKey());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            Set<Long> groups = users.get(rows.getLong(1));
                            if (groups != null) {
                                groups.add(rows.getLong(2));
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read memberships from MySQL: " + e.getMessage(), e);
        }
        return users;
    }

    /** The owners, admins and settings of the (already locked) groups, for the mirror. */
    public Map<Long, GroupRules> rulesOf(Collection<Long> ids) {
        Map<Long, GroupRules> rules = new TreeMap<>();
        if (ids.isEmpty()) {
            return rules;
        }
        String in = ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection connection = dataSource.getConnection()) {
            Map<Long, Set<Long>> admins = new TreeMap<>();
            Map<Long, boolean[]> settings = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, owner_id, only_admins_send,"
                    + " dissolved_at IS NOT NULL FROM chat_groups WHERE id IN (" + in + ")");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    admins.computeIfAbsent(rows.getLong(1), g -> new LinkedHashSet<>()).add(rows.getLong(2));
                    settings.put(rows.getLong(1), new boolean[] {rows.getBoolean(3), rows.getBoolean(4)});
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT group_id, user_id FROM group_members"
                    + " WHERE group_id IN (" + in + ") AND role = 'admin'");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Set<Long> of = admins.get(rows.getLong(1));
                    if (of != null) {
                        of.add(rows.getLong(2));
                    }
                }
            }
            settings.forEach((gid, s) -> rules.put(gid, new GroupRules(admins.get(gid), s[0], s[1])));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read groups from MySQL: " + e.getMessage(), e);
        }
        return rules;
    }

    /** Members of the (already locked) groups, read as locking reads so they are the latest committed rows. */
    private static void fillMembers(Connection connection, Map<Long, Set<Long>> groups) throws SQLException {
        if (groups.isEmpty()) {
            return;
        }
        String in = groups.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT group_id, user_id FROM group_members WHERE group_id IN (" + in + ") ORDER BY group_id, user_id"
                        + " LOCK IN SHARE MODE");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                groups.get(rows.getLong(1)).add(rows.getLong(2));
            }
        }
    }
}
