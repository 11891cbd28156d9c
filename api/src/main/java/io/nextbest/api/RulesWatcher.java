package io.nextbest.api;

import io.nextbest.engine.RuleSetException;
import io.nextbest.engine.RuleSetSource;
import io.nextbest.engine.registry.GateReport;
import io.nextbest.engine.registry.RegistryException;
import io.nextbest.engine.registry.RuleSetRegistry;
import io.nextbest.engine.registry.VersionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode: watches a rule-set directory and, a moment after each save, registers it as a
 * version and activates it through the same validation and scenario gate as an upload. A save that
 * fails the gate is logged with every message and changes nothing.
 */
final class RulesWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);
  private static final long QUIET_MILLIS = 400;

  private final Path dir;
  private final RuleSetRegistry registry;
  private final WatchService watch;
  private final Thread thread;
  private volatile boolean running = true;

  RulesWatcher(Path dir, RuleSetRegistry registry) {
    this.dir = dir.toAbsolutePath();
    this.registry = registry;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
      register(this.dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + dir, e);
    }
    this.thread = new Thread(this::run, "nba-rules-watcher");
    thread.setDaemon(true);
  }

  RulesWatcher start() {
    reload();
    thread.start();
    LOG.info("development mode: watching {} for rule-set changes", dir);
    return this;
  }

  private void register(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            d.register(
                watch,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void run() {
    while (running) {
      try {
        WatchKey key = watch.take();
        // Editors save in bursts; wait for quiet before reloading once.
        do {
          key.pollEvents();
          key.reset();
          key = watch.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        } while (key != null);
        register(dir);
        reload();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.warn("development mode: reload failed: {}", e.toString());
        }
      }
    }
  }

  /** Registers the directory's current content and activates it if it passes; returns the gate. */
  GateReport reload() {
    VersionInfo v;
    try {
      v =
          registry.register(
              RuleSetSource.directory(dir, "dev"),
              "dev-mode",
              "saved in " + dir.getFileName(),
              "dev");
    } catch (RuleSetException | UncheckedIOException e) {
      LOG.warn("development mode: cannot read {}: {}", dir, e.getMessage());
      return null;
    }
    if (v.sequence() == registry.activeSequence()) {
      return null;
    }
    try {
      GateReport gate = registry.activate(v.sequence(), "dev-mode");
      LOG.info(
          "development mode: activated v{} ({} scenarios pass)",
          v.sequence(),
          gate.scenarios().size());
      return gate;
    } catch (RegistryException e) {
      LOG.warn("development mode: v{} not activated: {}", v.sequence(), e.getMessage());
      if (e.gate() != null) {
        e.gate().messages().stream().filter(m -> m.error()).forEach(m -> LOG.warn("  {}", m));
        e.gate().scenarios().stream()
            .filter(s -> !s.passed())
            .forEach(s -> LOG.warn("  scenario {}: {}", s.scenario(), s.failures()));
      }
      return e.gate();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      watch.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service failed", e);
    }
  }
}
