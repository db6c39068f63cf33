package io.chatplatform.auth.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

@Entity
@Table(name = "chat_groups")
public class ChatGroup extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 64)
    public String name;

    @Column(name = "owner_id", nullable = false)
    public long ownerId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(length = 1000)
    public String announcement;

    @Column(name = "only_admins_send", nullable = false)
    public boolean onlyAdminsSend;

    @Column(name = "dissolved_at")
    public Instant dissolvedAt;

    @ElementCollection
    @CollectionTable(name = "group_members", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "user_id", nullable = false)
    public Set<Long> members = new LinkedHashSet<>();

    /**
     * Locks the group's row until the transaction ends (membership changes and mirror rebuilds take this lock). Plain
     * {@code FOR UPDATE}: Hibernate's MySQL dialect writes {@code FOR UPDATE OF alias}, which MariaDB refuses.
     */
    public static void lock(long id) {
        getEntityManager().createNativeQuery("SELECT id FROM chat_groups WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
    }

    /** The members with role {@code admin} (the owner is not among them). */
    @SuppressWarnings("unchecked")
    public static Set<Long> admins(long id) {
        List<Number> rows = getEntityManager().createNativeQuery(
                "SELECT user_id FROM group_members WHERE group_id = ?1 AND role = 'admin' ORDER BY user_id")
                .setParameter(1, id).getResultList();
        Set<Long> admins = new LinkedHashSet<>();
        rows.forEach(r -> admins.add(r.longValue()));
        return admins;
    }

    /** Sets a member's role ({@code admin} or {@code member}); the member row must exist (flush first). */
    public static void setRole(long id, long uid, String role) {
        getEntityManager().createNativeQuery("UPDATE group_members SET role = ?1 WHERE group_id = ?2 AND user_id = ?3")
                .setParameter(1, role).setParameter(2, id).setParameter(3, uid).executeUpdate();
    }

    public static List<ChatGroup> ofMember(long uid) {
        return find("select g from ChatGroup g join g.members m where m = ?1 order by g.id", uid).list();
    }
}
