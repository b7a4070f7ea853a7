package org.livedexperience.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.analysis.common.CommonAnalysisPlugin;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.mapper.MapperExtrasPlugin;
import org.elasticsearch.index.reindex.ReindexPlugin;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.painless.PainlessPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.Netty4Plugin;

/**
 * A single Elasticsearch 7.10.2 node (OSS modules only, no x-pack) for development and tests,
 * in one JVM, as search/engine/ runs OpenSearch.
 *
 * The distribution's modules are loaded from the classpath (Maven Central jars) instead of a
 * modules/ folder, so no tarball download is needed. scripts/engine.sh passes
 * -Des.distribution.flavor=default and -Des.distribution.type=tar, so the node reports the
 * build a stock distribution does (the elasticsearch Python client checks build_flavor).
 * Usage: ElasticsearchEngine HOME_DIR [PORT].
 */
public final class ElasticsearchEngine {

    // Netty4 gives the HTTP API; analysis-common the stemmers, ngram tokenizers and the
    // english analyzer Wagtail's mapping asks for; mapper-extras and painless complete the
    // modules a stock node would load for our indexing and queries; reindex gives
    // _delete_by_query.
    private static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class,
        CommonAnalysisPlugin.class,
        MapperExtrasPlugin.class,
        PainlessPlugin.class,
        ReindexPlugin.class
    );

    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment) {
            super(environment, MODULES, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "var/engine-es").toAbsolutePath();
        String port = args.length > 1 ? args[1] : "9200";
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "archive-dev")
            .put("node.name", "archive-dev-1")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "9300-9399")
            .put("discovery.type", "single-node")
            // Replicas: scripts/engine.sh gives every index none (one node cannot hold them).
            // A shared development machine: do not refuse writes when the disk is fairly full.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName("archive-dev-1");
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), home.resolve("config"), () -> "archive-dev-1");

        Node node = new ClasspathNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        System.out.println("engine: listening on http://127.0.0.1:" + port);
        stopped.await();
    }

    private ElasticsearchEngine() {}
}
