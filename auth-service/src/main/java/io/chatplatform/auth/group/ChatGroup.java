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

    public static List<ChatGroup> ofMember(long uid) {
        return find("select g from ChatGroup g join g.members m where m = ?1 order by g.id", uid).list();
    }
}
