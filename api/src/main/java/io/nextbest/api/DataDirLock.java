package io.nextbest.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process per data directory: the embedded store, the generated keys and the upload scratch
 * files are not meant to be shared, so a second service pointed at the same directory refuses to
 * start, naming the process that holds it, before it opens anything. The operating system drops the
 * lock when the process ends, however it ends, so a crash leaves nothing to clean up.
 */
final class DataDirLock implements AutoCloseable {
  static final String NAME = "nba.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory's lock and writes this process's id into it.
   *
   * @throws IllegalStateException naming the process holding it when another one does
   * @throws IOException when the lock file cannot be created
   */
  static DataDirLock acquire(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NAME);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new IllegalStateException(
          "the data directory "
              + dataDir.toAbsolutePath()
              + " is in use by "
              + (holder.isEmpty() ? "another process" : "process " + holder)
              + "; stop it or give this one another directory ("
              + ApiConfig.DATA_DIR
              + " or dataDir)");
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
        0);
    channel.force(false);
    return new DataDirLock(channel, lock);
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
