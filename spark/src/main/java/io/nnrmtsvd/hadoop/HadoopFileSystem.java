package io.nnrmtsvd.hadoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * A read-only view of one Hadoop file system ({@code hdfs://namenode}, {@code s3a://bucket},
 * {@code file:///}) as a {@link java.nio.file.FileSystem}, so that the library's readers, which
 * open {@link Path}s, read checkpoints there unchanged: by ranges, never whole files. Obtain paths
 * with {@link #path(String, Configuration)}.
 */
public final class HadoopFileSystem extends FileSystem {
    private static final HadoopFileSystemProvider PROVIDER = new HadoopFileSystemProvider();
    /** One view per Hadoop file system (Hadoop caches those), so that paths of one compare equal. */
    private static final Map<org.apache.hadoop.fs.FileSystem, HadoopFileSystem> OPENED = new ConcurrentHashMap<>();

    private final HadoopFileSystemProvider provider;
    private final org.apache.hadoop.fs.FileSystem hadoop;
    private final URI base;

    HadoopFileSystem(HadoopFileSystemProvider provider, org.apache.hadoop.fs.FileSystem hadoop) {
        this.provider = provider;
        this.hadoop = hadoop;
        this.base = hadoop.getUri();
    }

    /**
     * The path a user gave, on the Hadoop file system its scheme names; a path without a scheme is
     * on the configuration's default file system (the local one unless configured otherwise).
     *
     * @throws UncheckedIOException if the file system cannot be reached
     */
    public static Path path(String uri, Configuration conf) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        try {
            org.apache.hadoop.fs.FileSystem hadoop = p.getFileSystem(conf);
            HadoopFileSystem fs = OPENED.computeIfAbsent(hadoop, h -> new HadoopFileSystem(PROVIDER, h));
            return fs.getPath(hadoop.makeQualified(p).toUri().getPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the file system of " + uri + ": " + e.getMessage(), e);
        }
    }

    org.apache.hadoop.fs.FileSystem hadoop() {
        return hadoop;
    }

    URI uriOf(String absolutePath) {
        try {
            return new URI(base.getScheme(), base.getAuthority(), absolutePath, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(absolutePath + ": " + e.getMessage(), e);
        }
    }

    Path workingDirectory() {
        return getPath(hadoop.getWorkingDirectory().toUri().getPath());
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        // the Hadoop file system is cached and shared by Hadoop; it is not ours to close
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(getPath("/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        StringBuilder path = new StringBuilder(first);
        for (String m : more) {
            path.append('/').append(m);
        }
        return new HadoopPath(this, path.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException("path matchers on a Hadoop file system");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("user principals on a Hadoop file system");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("watching a Hadoop file system");
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
