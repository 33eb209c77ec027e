package dev.migrator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.jayway.jsonpath.JsonPath;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

// A few demo customers instead of the 500,000 of a demo run: enough for a backfill of several ranges, and fast.
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "demo.seed.customers=" + DemoApplicationIntegrationTests.DEMO_CUSTOMERS)
class DemoApplicationIntegrationTests {

    static final int DEMO_CUSTOMERS = 2500;

    // Created empty: the application must build its whole schema from db/migration.
    private static final FreshDatabase database = TestPostgres.server().createDatabase();

    private final RestTestClient client;

    DemoApplicationIntegrationTests(@LocalServerPort int port) {
        this.client = RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .build();
    }

    @DynamicPropertySource
    static void useFreshDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void migrationsBuildTheSchemaThatHibernateValidates(@Value("${spring.jpa.hibernate.ddl-auto}") String ddlAuto) {
        assertThat(ddlAuto).isEqualTo("validate");
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                        .query(String.class)
                        .list())
                .containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(jdbc.sql(
                                "SELECT indisvalid FROM pg_index WHERE indexrelid = 'purchase_order_customer_id_idx'::regclass")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void referenceDataComesFromTheDataTrack() {
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        assertThat(jdbc.sql("SELECT code FROM loyalty_tier ORDER BY min_orders")
                        .query(String.class)
                        .list())
                .containsExactly("BRONZE", "SILVER", "GOLD");
        // V1 seeded four products; the repeatable R__product_catalog added two and changed a price.
        assertThat(jdbc.sql("SELECT sku, price_cents FROM product ORDER BY sku")
                        .query((rs, row) -> tuple(rs.getString(1), rs.getInt(2)))
                        .list())
                .containsExactly(
                        tuple("MUG-STONEWARE", 1450),
                        tuple("POT-CAST-IRON", 4490),
                        tuple("STRAINER-MESH", 590),
                        tuple("TEA-ASSAM-250", 1290),
                        tuple("TEA-ROOIBOS-100", 650),
                        tuple("TEA-SENCHA-100", 790));
    }

    @Test
    void backfillFilledTheCanonicalEmailDomainOfEverySeededCustomer() {
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NULL")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT email_domain, count(*) FROM customer WHERE email LIKE 'demo-customer-%'"
                                + " GROUP BY email_domain ORDER BY email_domain")
                        .query((rs, row) -> tuple(rs.getString(1), rs.getLong(2)))
                        .list())
                .containsExactly(
                        tuple("example.com", 1000L), // example.com and Example.COM
                        tuple("example.org", 500L),
                        tuple("shop.example.net", 500L),
                        tuple("xn--bcher-kva.example", 500L)); // bücher.example
    }

    @Test
    void dataHistoryListsEachDataMigrationAsSucceeded() {
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        assertThat(jdbc.sql("SELECT version, description, type, script, success, rows_affected"
                                + " FROM migrator_data_history ORDER BY installed_rank")
                        .query((rs, row) -> tuple(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getBoolean(5),
                                rs.getObject(6, Long.class)))
                        .list())
                .containsExactly(
                        tuple("1", "seed loyalty tiers", "SQL", "D1__seed_loyalty_tiers.sql", true, 3L),
                        tuple(
                                "2",
                                "SeedDemoCustomers",
                                "JAVA",
                                "dev.migrator.demo.customer.D2__SeedDemoCustomers",
                                true,
                                null),
                        tuple(
                                "3",
                                "BackfillCustomerEmailDomain",
                                "JAVA",
                                "dev.migrator.demo.customer.D3__BackfillCustomerEmailDomain",
                                true,
                                (long) DEMO_CUSTOMERS),
                        // Two products inserted and one price changed; the three that match are not rewritten.
                        tuple(null, "product catalog", "SQL_REPEATABLE", "R__product_catalog.sql", true, 3L));
    }

    @Test
    void createdCustomerIsListedUnderItsCanonicalEmailDomain() {
        RestTestClientResponse created = post("/api/customers", """
                {"email": "ada@Analytical-Engine.example", "name": "Ada Lovelace"}""");
        assertThat(created)
                .hasStatus(HttpStatus.CREATED)
                .hasHeader("Location", "/api/customers/" + id(created))
                .bodyJson()
                .isLenientlyEqualTo("""
                        {"email": "ada@Analytical-Engine.example", "emailDomain": "analytical-engine.example",
                         "name": "Ada Lovelace"}""");
        assertThat(created).bodyJson().hasPath("$.createdAt");
        assertThat(get("/api/customers?domain=ANALYTICAL-ENGINE.example."))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$[*].email")
                .asArray()
                .containsExactly("ada@Analytical-Engine.example");
    }

    @Test
    void customersAreListedAPageAtATimeInIdOrder() {
        assertThat(get("/api/customers?limit=3"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$[*].id")
                .asArray()
                .containsExactly(1, 2, 3);
        assertThat(get("/api/customers?domain=bücher.example&after=3&limit=2"))
                .hasStatusOk()
                .bodyJson()
                .isLenientlyEqualTo("""
                        [{"id": 4, "email": "demo-customer-4@bücher.example", "emailDomain": "xn--bcher-kva.example"},
                         {"id": 9, "email": "demo-customer-9@bücher.example", "emailDomain": "xn--bcher-kva.example"}]""");
        assertThat(get("/api/customers?limit=1001"))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("Limit '1001' is out of range");
    }

    @Test
    void placedOrderIsReadBackWithItsLinesAndTotal() {
        long customerId = id(post("/api/customers", """
                {"email": "grace@example.com", "name": "Grace Hopper"}"""));
        assertThat(get("/api/products")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
                        [{"sku": "MUG-STONEWARE", "priceCents": 1450}, {"sku": "POT-CAST-IRON", "priceCents": 4490},
                         {"sku": "STRAINER-MESH", "priceCents": 590}, {"sku": "TEA-ASSAM-250", "priceCents": 1290},
                         {"sku": "TEA-ROOIBOS-100", "priceCents": 650}, {"sku": "TEA-SENCHA-100", "priceCents": 790}]""");

        RestTestClientResponse placed = post("/api/orders", """
                {"customerId": %d, "note": "Gift wrap, please",
                 "lines": [{"sku": "TEA-SENCHA-100", "quantity": 3}, {"sku": "MUG-STONEWARE", "quantity": 2}]}""".formatted(customerId));
        assertThat(placed).hasStatus(HttpStatus.CREATED);
        String expected = """
                {"id": %d, "customerId": %d, "note": "Gift wrap, please", "totalCents": 5270,
                 "lines": [{"sku": "TEA-SENCHA-100", "name": "Sencha green tea, 100 g", "quantity": 3,
                            "unitPriceCents": 790, "totalCents": 2370},
                           {"sku": "MUG-STONEWARE", "name": "Stoneware mug, 0.3 l", "quantity": 2,
                            "unitPriceCents": 1450, "totalCents": 2900}]}""".formatted(id(placed), customerId);
        assertThat(placed).bodyJson().isLenientlyEqualTo(expected);
        assertThat(get("/api/orders/" + id(placed))).hasStatusOk().bodyJson().isLenientlyEqualTo(expected);
    }

    @Test
    void invalidCustomerIsRejectedNamingEachField() {
        assertThat(post("/api/customers", """
                        {"email": "not-an-email", "name": " "}"""))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("email must be a well-formed email address (was 'not-an-email')")
                .contains("name must not be blank");
    }

    @Test
    void customerWithATakenEmailIsRejected() {
        String body = """
                {"email": "linus@example.com", "name": "Linus"}""";
        assertThat(post("/api/customers", body)).hasStatus(HttpStatus.CREATED);
        assertThat(post("/api/customers", body))
                .hasStatus(HttpStatus.CONFLICT)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("'linus@example.com'");
    }

    @Test
    void orderWithoutLinesIsRejected() {
        assertThat(post("/api/orders", """
                        {"customerId": 1, "lines": []}"""))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("lines must not be empty");
    }

    @Test
    void orderForAnUnknownProductIsRejected() {
        long customerId = id(post("/api/customers", """
                {"email": "barbara@example.com", "name": "Barbara Liskov"}"""));
        assertThat(post("/api/orders", """
                        {"customerId": %d, "lines": [{"sku": "TEA-UNKNOWN", "quantity": 1}]}""".formatted(customerId)))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .contains("Product 'TEA-UNKNOWN' does not exist");
    }

    @Test
    void unreadableBodyIsRejectedWithTheParserMessage() {
        assertThat(post("/api/orders", """
                        {"customerId": "first", "lines": []}"""))
                .hasStatus(HttpStatus.BAD_REQUEST)
                .bodyJson()
                .extractingPath("$.detail")
                .asString()
                .startsWith("Unreadable request body: ")
                .contains("\"first\"");
    }

    @Test
    void unknownOrderIsNotFound() {
        assertThat(get("/api/orders/999999")).hasStatus(HttpStatus.NOT_FOUND);
    }

    private RestTestClientResponse get(String uri) {
        return RestTestClientResponse.from(this.client.get().uri(uri).exchange());
    }

    private RestTestClientResponse post(String uri, String json) {
        return RestTestClientResponse.from(this.client
                .post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange());
    }

    private static long id(RestTestClientResponse response) {
        String body = new String(response.getExchangeResult().getResponseBodyContent(), StandardCharsets.UTF_8);
        return JsonPath.<Number>read(body, "$.id").longValue();
    }
}
