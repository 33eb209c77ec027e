package dev.migrator.demo.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.RunReport;
import dev.migrator.core.Track;
import dev.migrator.test.autoconfigure.MigrationTester;
import dev.migrator.test.autoconfigure.MigratorTest;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The backfill D3 as it runs in production: the database starts at data version 2 (every schema migration applied,
 * {@code customer.email_domain} still empty), the test seeds the customers of a release before V6, then applies D3
 * with {@link MigrationTester} and checks every row. Not in a test transaction: the backfill commits range by range
 * on connections of its own, and the next test class gets a fresh database anyway.
 */
@MigratorTest(dataTarget = "2", properties = "demo.seed.customers=0", refresh = MigratorTest.Refresh.PER_METHOD)
@Import(EmailDomains.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class BackfillCustomerEmailDomainIntegrationTests {

    @Autowired
    MigrationTester migrations;

    @Autowired
    JdbcClient jdbc;

    @Test
    void startsBeforeTheBackfill() {
        assertThat(migrations.status(Track.SCHEMA).current()).contains("6");
        assertThat(migrations.status(Track.DATA).current()).contains("2");
        assertThat(migrations.status(Track.DATA).pending())
                .extracting(entry -> entry.version().orElseThrow())
                .containsExactly("3");
    }

    @Test
    void theBackfillIsUndoneAndAppliedAgainOverTheSameRows() {
        insert("ada@Example.COM");
        insert("kurt@Bücher.example");

        assertThat(migrations.assertReversible())
                .extracting(MigrationEntry::script)
                .containsExactly(D3__BackfillCustomerEmailDomain.class.getName());
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NULL")
                        .query(Long.class)
                        .single())
                .as("applied again at the end")
                .isZero();
    }

    @Test
    void backfillStoresTheCanonicalDomainOfEveryExistingCustomer() {
        insert("ada@Example.COM");
        insert("grace@shop.example.org.");
        insert("\"alan@home\"@Example.net");
        insert("kurt@Bücher.example");
        // More than the first batch, of 1,000 rows (migrator.data.batch-size), so that batches follow it.
        jdbc.sql("INSERT INTO customer (email, name) SELECT 'bulk-' || n || '@Bulk.Example', 'bulk'"
                        + " FROM generate_series(1, 2500) AS n")
                .update();

        RunReport report = migrations.applyNext(Track.DATA);

        assertThat(report.dataApplied())
                .extracting(AppliedMigration::migration)
                .extracting(MigrationEntry::script)
                .containsExactly(D3__BackfillCustomerEmailDomain.class.getName());
        assertThat(domainsByEmail())
                .containsEntry("ada@Example.COM", "example.com")
                .containsEntry("grace@shop.example.org.", "shop.example.org")
                .containsEntry("\"alan@home\"@Example.net", "example.net")
                .containsEntry("kurt@Bücher.example", "xn--bcher-kva.example");
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain = 'bulk.example'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(2500);
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NULL")
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(migrations.status().isUpToDate()).isTrue();
    }

    @Test
    void backfillLeavesDomainsThatAreAlreadySetAlone() {
        insert("new@Example.COM");
        jdbc.sql("INSERT INTO customer (email, name, email_domain) VALUES ('set@Example.COM', 'set', 'kept.example')")
                .update();

        migrations.applyNext(Track.DATA);

        assertThat(domainsByEmail())
                .containsEntry("new@Example.COM", "example.com")
                .containsEntry("set@Example.COM", "kept.example");
    }

    private void insert(String email) {
        jdbc.sql("INSERT INTO customer (email, name) VALUES (?, ?)")
                .params(email, email)
                .update();
    }

    private Map<String, String> domainsByEmail() {
        return jdbc
                .sql("SELECT email, email_domain FROM customer")
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
