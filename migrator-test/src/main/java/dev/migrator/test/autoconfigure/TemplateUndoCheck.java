package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.operations.MigrationRunEvent;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.Migrator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;

/**
 * With {@code @MigratorTest(checkUndo = true)}: when the template is built, checks on a scratch
 * database of the same server that every migration with an undo can be applied, undone and applied
 * again ({@link MigrationTester#assertReversible()}), and fails the template build otherwise. A
 * template built with the check is keyed apart from one built without.
 */
final class TemplateUndoCheck implements ApplicationListener<MigrationRunEvent> {

    /** The property that turns the check on. */
    static final String CHECK = "migrator.test.undo.check";

    private static final Logger logger = LoggerFactory.getLogger(TemplateUndoCheck.class);

    private final ContextDatabase database;

    private final ObjectProvider<Migrator> migrator;

    TemplateUndoCheck(ContextDatabase database, ObjectProvider<Migrator> migrator) {
        this.database = database;
        this.migrator = migrator;
    }

    @Override
    public void onApplicationEvent(MigrationRunEvent event) {
        if (event.getTrigger() != Trigger.STARTUP || !this.database.building()) {
            return;
        }
        Migrator migrator = this.migrator.getIfUnique();
        if (migrator == null) {
            return;
        }
        this.database.onScratchDatabase(dataSource -> {
            List<MigrationEntry> checked =
                    MigrationTester.of(migrator.on(dataSource)).assertReversible();
            logger.info(
                    "Undo check of the test template: {} migration(s) applied, undone and applied again",
                    checked.size());
        });
    }
}
