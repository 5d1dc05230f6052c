package io.nnrmtsvd.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;

/**
 * The provider behind {@link HadoopFileSystem}: attributes, directory listings and read-only
 * channels with positioned reads. Everything that would write is refused
 * ({@link ReadOnlyFileSystemException}); the run directory is always local to the driver.
 */
final class HadoopFileSystemProvider extends FileSystemProvider {
    @Override
    public String getScheme() {
        return "hadoop";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("use HadoopFileSystem.path");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("use HadoopFileSystem.path");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("use HadoopFileSystem.path");
    }

    private static HadoopPath cast(Path path) {
        if (!(path instanceof HadoopPath p)) {
            throw new ProviderMismatchException();
        }
        return p;
    }

    private static org.apache.hadoop.fs.FileSystem hadoop(HadoopPath p) {
        return ((HadoopFileSystem) p.getFileSystem()).hadoop();
    }

    private static FileStatus status(HadoopPath p) throws IOException {
        try {
            return hadoop(p).getFileStatus(p.toHadoop());
        } catch (FileNotFoundException e) {
            throw new NoSuchFileException(p.toString());
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ && o != LinkOption.NOFOLLOW_LINKS) {
                throw new ReadOnlyFileSystemException();
            }
        }
        HadoopPath p = cast(path);
        FileStatus status = status(p);
        if (status.isDirectory()) {
            throw new IOException(p + ": is a directory");
        }
        try {
            return new HadoopFileChannel(hadoop(p).open(p.toHadoop()), status.getLen());
        } catch (FileNotFoundException e) {
            throw new NoSuchFileException(p.toString());
        }
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        HadoopPath p = cast(dir);
        FileStatus[] statuses;
        try {
            statuses = hadoop(p).listStatus(p.toHadoop());
        } catch (FileNotFoundException e) {
            throw new NoSuchFileException(p.toString());
        }
        List<Path> entries = new ArrayList<>();
        for (FileStatus s : statuses) {
            Path entry = p.resolve(s.getPath().getName());
            if (filter.accept(entry)) {
                entries.add(entry);
            }
        }
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
                // the listing is read whole
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public boolean isSameFile(Path path, Path path2) {
        return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("file stores of a Hadoop file system");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        status(cast(path));
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new ReadOnlyFileSystemException();
            }
        }
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException(type.getSimpleName() + " on a Hadoop file system");
        }
        return (A) new Attributes(status(cast(path)));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        String view = attributes.contains(":") ? attributes.substring(0, attributes.indexOf(':')) : "basic";
        if (!view.equals("basic")) {
            throw new UnsupportedOperationException("attributes '" + attributes + "' on a Hadoop file system");
        }
        Attributes a = new Attributes(status(cast(path)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", a.size());
        m.put("isDirectory", a.isDirectory());
        m.put("isRegularFile", a.isRegularFile());
        m.put("isSymbolicLink", false);
        m.put("isOther", false);
        m.put("lastModifiedTime", a.lastModifiedTime());
        return m;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    /** A file's status as basic attributes; a symbolic link reads as what it points to. */
    private record Attributes(FileStatus status) implements BasicFileAttributes {
        @Override
        public FileTime lastModifiedTime() {
            return FileTime.fromMillis(status.getModificationTime());
        }

        @Override
        public FileTime lastAccessTime() {
            return FileTime.fromMillis(status.getAccessTime());
        }

        @Override
        public FileTime creationTime() {
            return lastModifiedTime();
        }

        @Override
        public boolean isRegularFile() {
            return status.isFile();
        }

        @Override
        public boolean isDirectory() {
            return status.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return status.getLen();
        }

        @Override
        public Object fileKey() {
            return status.getPath();
        }
    }
}
