// tinko-host: reads its settings, assembles the components, serves until SIGTERM/SIGINT, then
// stops gracefully (readiness fails first, requests in flight finish, exit 0).
#include "api/AnalyticsApi.h"
#include "api/CardRetryLimitsApi.h"
#include "api/ConfigApi.h"
#include "api/EventFeedApi.h"
#include "api/EventsApi.h"
#include "api/HealthApi.h"
#include "api/OpenApiRoute.h"
#include "api/OpsViewsApi.h"
#include "api/OrgsApi.h"
#include "api/PluginsApi.h"
#include "api/PoliciesApi.h"
#include "api/RecoveriesApi.h"
#include "api/RoutesApi.h"
#include "api/RulesApi.h"
#include "api/TemplatesApi.h"
#include "api/WebhookEndpointsApi.h"
#include "bus/OrgDataAnnouncements.h"
#include "bus/PluginAnnouncements.h"
#include "bus/PluginChangePublisher.h"
#include "bus/RedisProbe.h"
#include "config/HostSettings.h"
#include "events/WebhookDeliveryWorker.h"
#include "config/SettingsReport.h"
#include "events/MerchantEventDispatcher.h"
#include "http/Authenticator.h"
#include "http/HttpServer.h"
#include "http/ListeningLine.h"
#include "http/MetricFamilies.h"
#include "http/Metrics.h"
#include "http/RequestDispatcher.h"
#include "http/Router.h"
#include "plugins/HostServices.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginLoader.h"
#include "plugins/PluginManager.h"
#include "plugins/PluginRegistry.h"
#include "recovery/DeclineClassifier.h"
#include "recovery/FailureIntake.h"
#include "recovery/RecoveryLinks.h"
#include "recovery/WebhookIntake.h"
#include "scheduler/RecoveryScheduler.h"
#include "scheduler/StepRunner.h"
#include "security/OpsCredential.h"
#include "security/SecretBox.h"
#include "security/SecretTokens.h"
#include "store/AnalyticsRollup.h"
#include "store/EmbeddedPostgres.h"
#include "store/HostSecretStore.h"
#include "store/IngestBatchWriter.h"
#include "store/OrgConfigStore.h"
#include "store/OrgDataCache.h"
#include "store/OrgDataChanges.h"
#include "store/MigrationRunner.h"
#include "store/OrgStore.h"
#include "store/PgPool.h"
#include "store/PluginCatalog.h"
#include "store/PolicyStore.h"
#include "store/LinkStore.h"
#include "store/MerchantEventStore.h"
#include "store/RecoveryStore.h"
#include "store/RuleStore.h"
#include "store/StepStore.h"
#include "store/WebhookEndpointStore.h"
#include "store/WebhookDeliveryStore.h"
#include "store/WebhookStore.h"
#include "web/OpsConsole.h"
#include "web/RecoveryPages.h"
#include "api/WebhooksApi.h"
#include "store/PgConnection.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"
#include "util/PeriodicTask.h"
#include "util/StartedComponents.h"

#include <Poco/Thread.h>
#include <Poco/Util/ServerApplication.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <csignal>
#include <malloc.h>
#include <iostream>
#include <memory>

using namespace tinko;

namespace {

// A scrape in flight is short; the main listener has had its drain already.
constexpr int kMetricsDrainSeconds = 1;

void printOnce(const std::string& opsToken) {
    std::cout << "\n  Generated the ops token (shown only this once; only its hash is stored):\n\n    " << opsToken
              << "\n\n  Keep it in a secret manager, or set TINKO_OPS_TOKEN to choose your own.\n"
              << std::endl;
}

class TinkoHost : public Poco::Util::ServerApplication {
protected:
    int main(const std::vector<std::string>&) override {
        config::HostSettings settings;
        try {
            settings = config::loadHostSettings();
        } catch (const config::SettingsError& e) {
            std::cerr << "tinko-host: " << e.what() << std::endl;
            return EXIT_CONFIG;
        }
        log::configure(settings.logLevel);
        try {
            return serve(settings);
        } catch (const std::exception& e) {
            const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
            log::error("tinko.host", "start-up failed", {{"error", poco ? poco->displayText() : e.what()}});
            return EXIT_SOFTWARE;
        }
    }

private:
    // Builds each component after what it calls, starts every thread last (in one place), and
    // stops them in the reverse order: on SIGTERM/SIGINT, and also when start-up fails half way.
    int serve(const config::HostSettings& settings) {
        // Only this user (and, for the embedded cluster run as postgres, that user's group, to
        // traverse) may enter the data directory: it holds the secret key and staged plugins.
        util::ensurePrivateDirectory(settings.dataDir, settings.database.url ? std::nullopt : store::embeddedClusterGroup());

        // The database: the embedded cluster (its destructor stops it if start-up fails later), the schema.
        std::unique_ptr<store::EmbeddedPostgres> embedded;
        std::string databaseUrl;
        if (settings.database.url) {
            databaseUrl = store::normalizedConnectionString(*settings.database.url, settings.database.connectTimeoutSeconds);
            store::waitForDatabase(databaseUrl, settings.database.startupWaitSeconds);
        } else {
            embedded = std::make_unique<store::EmbeddedPostgres>(settings.database.embedded);
            embedded->start();
            databaseUrl = store::normalizedConnectionString(embedded->connectionString(), settings.database.connectTimeoutSeconds);
        }
        auto migrations = store::MigrationRunner(databaseUrl).run(store::readMigrationFiles(settings.database.migrationsDir));
        log::info("tinko.store.migrations", "schema is current",
                  {{"applied_now", std::to_string(migrations.applied.size())},
                   {"already_applied", std::to_string(migrations.alreadyApplied)}});

        // Stores and credentials.
        store::PgPool pool(databaseUrl, settings.database.poolSize, store::PgPool::kDefaultWaitMs, settings.database.queryTimeoutMs);
        store::HostSecretStore hostSecrets(pool);
        const auto redis = settings.redisUrl ? bus::parseRedisUrl(*settings.redisUrl) : std::nullopt;
        // Each org's data the hot paths read, cached; a change reaches every host within 1 s
        // (Redis at once when configured; the version poll always, as the safety net).
        bus::OrgDataAnnouncements orgDataBus(redis);
        store::OrgDataCache orgData(store::OrgDataCache::kDefaultMaxEntries,
                                    [&orgDataBus](long long orgId) { orgDataBus.announce(orgId); });
        store::OrgDataChanges orgDataChanges(databaseUrl, orgData);
        util::PeriodicTask orgDataPolling("org-data-changes", std::chrono::milliseconds(store::OrgDataChanges::kPollMilliseconds),
                                          [&orgDataChanges] { orgDataChanges.pollLoggingOutages(); });
        store::OrgStore orgs(pool, &orgData);
        auto ops = security::establishOpsCredential(settings.opsToken, hostSecrets);
        if (ops.newlyGenerated) printOnce(*ops.newlyGenerated);
        bool keyGenerated = false;
        const auto secretBox = security::SecretBox::fromSettingOrFile(settings.secretKey ? &*settings.secretKey : nullptr,
                                                                      settings.dataDir + "/secret.key", keyGenerated);
        if (keyGenerated)
            log::warn("tinko.host", "TINKO_SECRET_KEY is unset: generated a key for plugin secrets into the data directory; "
                                    "set TINKO_SECRET_KEY (the same on every host) to keep secrets readable",
                      {{"file", settings.dataDir + "/secret.key"}});
        store::OrgConfigStore orgConfigStore(pool, &orgData);
        store::PolicyStore policies(pool, &orgData);
        store::RuleStore rules(pool, &orgData);
        store::TemplateStore templates(pool, &orgData);
        store::AnalyticsStore analytics(pool);
        store::RecoveryStore recoveries(pool);
        store::LinkStore linkStore(pool);
        store::StepStore stepStore(pool);
        store::NotificationStore notificationStore(pool, &orgData);
        store::WebhookStore webhookStore(pool);
        store::WebhookEndpointStore webhookEndpoints(pool);
        store::ApiKeyOwners keyOwners(pool, &orgData);
        store::AnalyticsRollup rollup(pool);
        store::MerchantEventStore merchantEvents(pool);

        http::Metrics metrics;
        http::counters::declareAll(metrics);
        metrics.addGaugeSource("tinko_org_data_cache_entries", "Entries of org data this host holds in memory.",
                               [&orgData] { return static_cast<double>(orgData.size()); });

        // Plugins. The manager publishes its changes; the listener that applies other hosts'
        // changes calls the manager, so it is built after it (and started last, with the threads).
        plugins::PluginRegistry pluginRegistry([&metrics](const plugins::PluginGeneration& g, plugins::Operation op,
                                                          const plugins::PluginAnswer& answer) {
            metrics.addToCounter(http::counters::kPluginCallsTotal,
                                 "plugin=\"" + g.descriptor().name + "\",generation=\"" + std::to_string(g.number()) +
                                     "\",operation=\"" + plugins::operationName(op) + "\",outcome=\"" +
                                     (answer.ok ? "ok" : plugins::errorCategoryName(answer.error.category)) + "\"");
        });
        metrics.addGaugeSource("tinko_plugin_libraries_resident_after_unload",
                               "Plugin libraries the OS kept mapped after their generation was destroyed.",
                               [] { return static_cast<double>(plugins::residentAfterUnloadCount()); });
        metrics.addGaugeSource("tinko_plugin_generations_draining", "Replaced plugin generations still finishing calls.",
                               [&pluginRegistry] { return static_cast<double>(pluginRegistry.drainingCount()); });
        auto outbound = std::make_shared<plugins::Outbound>(settings.egress);
        plugins::cleanStagingDirectory(settings.dataDir + "/plugin-staging");
        plugins::PluginLoader pluginLoader(settings.dataDir + "/plugin-staging", outbound, pluginRegistry);
        store::PluginCatalog pluginCatalog(databaseUrl);
        const bus::PluginChangePublisher pluginChanges(redis);
        plugins::PluginManager pluginManager(pluginLoader, pluginRegistry, pluginCatalog,
                                             [&pluginChanges](const std::string& name) { pluginChanges.announce(name); },
                                             settings.pluginFiles.trustedKeys);
        if (settings.pluginFiles.requiresSignature())
            log::info("tinko.plugins", "plugin files must carry an Ed25519 signature by a trusted key",
                      {{"trusted_keys", std::to_string(settings.pluginFiles.trustedKeys.size())}});
        pluginManager.loadDirectory(settings.pluginDir);
        bus::PluginAnnouncements pluginListener(redis, [&pluginManager] {
            try {
                pluginManager.reconcile();
            } catch (const std::exception& e) {
                log::warn("tinko.plugins", "reconcile failed; retrying later", {{"error", e.what()}});
            }
        });

        // The recovery domain.
        plugins::OrgPluginConfigs orgPluginConfigs(orgConfigStore, secretBox);
        recovery::DeclineClassifier classifier(pluginRegistry, orgPluginConfigs);
        store::IngestBatchWriter ingestWriter(pool);
        recovery::FailureIntake intake(classifier, policies, rules, ingestWriter, &orgs);
        security::WebhookVerificationGuard webhookVerifications(settings.webhookVerification);
        recovery::WebhookIntake webhookIntake({orgs, orgPluginConfigs, pluginRegistry, intake, recoveries, webhookStore,
                                               notificationStore, webhookVerifications, metrics});

        // HTTP. The listeners bind now: a taken port stops start-up here, before any thread runs.
        api::Readiness readiness;
        readiness.addCheck("database", [&pool] { return pool.ping(); });
        if (redis) {
            // Hosts serve without Redis (swaps then reach them by their periodic database check):
            // /readyz names it as degraded, while this host is not subscribed, and stays 200.
            readiness.addOptionalCheck("redis", [&pluginListener] { return pluginListener.subscriptionProblem(); });
            metrics.addGaugeSource("tinko_redis_subscribed", "1 while the plugin-announcement listener is subscribed on Redis.",
                                   [&pluginListener] { return pluginListener.subscribed() ? 1.0 : 0.0; });
        }
        // Read at each scrape. Sources are read in name order, so the scheduler lag's query is skipped
        // when the readiness check just found the database down: a scrape then stays within
        // Prometheus's timeout instead of waiting for one more connection attempt.
        auto scrapeFoundReady = std::make_shared<std::atomic<bool>>(true);
        metrics.addGaugeSource("tinko_ready", "1 while /readyz answers 200 (the database answers and the host is not stopping).",
                               [&readiness, scrapeFoundReady] {
                                   *scrapeFoundReady = readiness.failures().empty();
                                   return *scrapeFoundReady ? 1.0 : 0.0;
                               });
        // From PostgreSQL (two index reads, bounded by TINKO_DATABASE_QUERY_TIMEOUT_MS), so it shows the
        // lag even when this host's scheduler is the one stuck. The same on every host.
        metrics.addGaugeSource("tinko_scheduler_oldest_due_step_age_seconds",
                               "Seconds the step waiting longest to be claimed has been due (or its lease over); 0 when "
                               "none waits, NaN when the database did not answer.",
                               [&stepStore, &readiness, scrapeFoundReady] {
                                   if (!*scrapeFoundReady && !readiness.shuttingDown()) return std::nan("");
                                   try {
                                       return stepStore.oldestWaitingStepAgeSeconds();
                                   } catch (const std::exception&) {
                                       return std::nan("");
                                   }
                               });

        http::Router router;
        http::Authenticator authenticator(ops.sha256, [&keyOwners](const std::string& digest) -> std::optional<http::Caller> {
            auto owner = keyOwners.find(digest);
            if (!owner) return std::nullopt;
            return http::Caller{http::Caller::Kind::Org, owner->orgId, owner->orgSlug};
        });
        http::RequestDispatcher dispatcher(router, authenticator);
        http::HttpServer server(settings.http, dispatcher, metrics);
        // /metrics: behind the ops token on the main port, or without credentials on its own listener only.
        http::Router metricsRouter;
        http::RequestDispatcher metricsDispatcher(metricsRouter, authenticator);
        std::unique_ptr<http::HttpServer> metricsServer;
        if (settings.metricsListener) {
            api::registerMetricsRoute(metricsRouter, metrics, http::Access::Public);
            metricsServer = std::make_unique<http::HttpServer>(*settings.metricsListener, metricsDispatcher, metrics);
        } else {
            api::registerMetricsRoute(router, metrics, http::Access::Ops);
        }
        // With port 0 the address, and so the default public URL, is known only once bound.
        const http::ListeningLine listening = http::describeListening(settings.http.host, server.port(), settings.publicUrl);
        const std::string& publicUrl = listening.publicUrl;
        recovery::RecoveryLinks links(linkStore, publicUrl);

        api::registerHealthRoutes(router, readiness);
        api::registerOpenApiRoute(router);
        api::registerOrgRoutes(router, orgs);
        api::registerPluginRoutes(router, pluginManager, pluginRegistry, settings.pluginFiles.maxUploadBytes);
        api::registerConfigRoutes(router, orgPluginConfigs, orgConfigStore, pluginRegistry, outbound->policy());
        api::registerPolicyRoutes(router, policies);
        api::registerRuleRoutes(router, rules, policies, templates);
        api::registerTemplateRoutes(router, templates);
        api::registerEventRoutes(router, intake, classifier, recoveries, metrics);
        api::registerEventFeedRoutes(router, merchantEvents);
        api::registerRecoveryRoutes(router, recoveries, notificationStore, links);
        api::registerAnalyticsRoutes(router, analytics);
        api::registerOpsViewRoutes(router, orgs, recoveries, analytics);
        store::CardRetryStore cardRetries(pool);
        api::registerCardRetryLimitRoutes(router, cardRetries);
        api::registerWebhookRoutes(router, webhookIntake, publicUrl);
        api::registerWebhookEndpointRoutes(router, webhookEndpoints, secretBox, outbound->policy(), orgs);
        web::registerRecoveryPages(router, linkStore, recoveries, orgPluginConfigs, pluginRegistry, outbound->policy(),
                                   publicUrl);
        web::registerOpsConsole(router);
        api::registerRouteListing(router);

        // Background work.
        scheduler::StepRunner stepRunner(settings.steps, publicUrl, pluginRegistry, orgPluginConfigs, stepStore,
                                         notificationStore, recoveries, templates, links, metrics);
        scheduler::RecoveryScheduler recoveryScheduler(settings.scheduler, "host-" + security::newSecretToken("", 6),
                                                       stepStore, stepRunner, metrics);
        // Keeps the analytics deltas small (answers are exact either way, see store/AnalyticsRollup.h).
        util::PeriodicTask analyticsFolding("analytics-fold", std::chrono::milliseconds(settings.analyticsFoldMilliseconds),
                                            [&rollup] { rollup.foldBacklog(); });
        events::MerchantEventDispatcher eventDispatcher(merchantEvents, metrics,
                                                        std::chrono::milliseconds(settings.eventDispatchMilliseconds));

        // Merchant events to the orgs' webhook endpoints (issue 15).
        store::WebhookDeliveryStore webhookDeliveries(pool);
        events::WebhookDeliveryWorker webhookDelivery(settings.webhooks, "host-" + security::newSecretToken("", 6),
                                                      webhookDeliveries, secretBox, outbound, metrics);

        // Every thread, last and in one place. Declared after all it stops, so on a failure below
        // it stops the threads already started before anything they use is destroyed.
        int connectionsCut = 0;   // by the HTTP server's drain
        util::StartedComponents started;
        // First the change log's watermark (nothing is cached before it), then its polls and Redis.
        started.start("org data changes", [&] {
            orgDataChanges.poll();
            orgDataPolling.start();
            orgDataBus.start([&orgData](long long orgId) { orgData.invalidate(orgId); });
        }, [&] {
            orgDataBus.stop();
            orgDataPolling.stop();
        });
        // Stopped after the HTTP server drained, so every request in flight still gets its batch written.
        started.start("ingest writer", [&] { ingestWriter.start(); }, [&] { ingestWriter.stop(); });
        started.start("plugin listener", [&] { pluginListener.start(); }, [&] { pluginListener.stop(); });
        started.start("analytics folding", [&] { analyticsFolding.start(); }, [&] { analyticsFolding.stop(); });
        started.start("scheduler", [&] { recoveryScheduler.start(); }, [&] { recoveryScheduler.stop(); });
        started.start("event dispatcher", [&] { eventDispatcher.start(); }, [&] { eventDispatcher.stop(); });
        started.start("webhook delivery", [&] { webhookDelivery.start(); }, [&] { webhookDelivery.stop(); });
        if (metricsServer)
            started.start("metrics listener", [&] {
                metricsServer->start();
                const std::string url = http::listenUrl(settings.metricsListener->host, metricsServer->port()) + "/metrics";
                log::info("tinko.host", "metrics listening", {{"url", url}});
                std::cout << "tinko-host metrics on " << url << std::endl;
            }, [&] { metricsServer->drain(kMetricsDrainSeconds); });
        started.start("http server", [&] { server.start(); }, [&] {
            const bool drained = server.drain(settings.shutdown.drainTimeoutSeconds);
            connectionsCut = server.activeConnections();
            log::info("tinko.host", drained ? "requests in flight finished" : "drain timed out; remaining connections cut",
                      {{"connections_left", std::to_string(connectionsCut)}});
        });
        announceListening(listening, embedded ? "embedded" : store::redactConnectionString(databaseUrl));

        waitForTerminationRequest();

        log::info("tinko.host", "stopping: readiness now fails",
                  {{"delay_seconds", std::to_string(settings.shutdown.readinessDelaySeconds)}});
        readiness.beginShutdown();
        Poco::Thread::sleep(settings.shutdown.readinessDelaySeconds * 1000);
        started.stopAll();
        pluginRegistry.shutdown();
        if (embedded) embedded->stop();
        log::info("tinko.host", "stopped");
        if (connectionsCut > 0) {
            // A handler busy elsewhere than on its (now shut) socket: the server's thread pool
            // would wait for it on the way out, and the shutdown timeout would promise nothing.
            std::cout.flush();
            std::cerr.flush();
            std::_Exit(EXIT_OK);
        }
        return EXIT_OK;
    }

    static void announceListening(const http::ListeningLine& listening, const std::string& database) {
        log::Fields fields{{"url", listening.url}, {"public_url", listening.publicUrl},
                           {"public_url_from", listening.publicUrlSet ? "TINKO_PUBLIC_URL" : "default"}, {"database", database}};
        if (!listening.scope.empty()) fields.push_back({"scope", listening.scope});
        log::info("tinko.host", "listening", fields);
        if (listening.publicUrlUnreachable())
            log::warn("tinko.host", "TINKO_PUBLIC_URL is unset and the address is a wildcard: recovery links and provider "
                                    "callbacks would point at it; set TINKO_PUBLIC_URL to the address customers reach",
                      {{"public_url", listening.publicUrl}});
        std::cout << listening.text(TINKO_VERSION) << std::endl;
    }
};

}  // namespace

int main(int argc, char** argv) {
    // Block the stop signals before any thread starts, so every thread inherits the mask and only
    // waitForTerminationRequest() receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    for (int s : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&stopSignals, s);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // Large blocks (at start, each plugin file, its hex for the catalog and libpq's copy: megabytes)
    // always get their own mapping, returned when freed. Left to glibc, the threshold rises after the
    // first such block is freed, the next ones land on the heap, and an idle host keeps some 17 MB
    // of freed heap resident (bench/idle-rss.sh). Setting it also fixes the trim threshold (128 KB).
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);

    // Operator commands that start nothing.
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "--version") {
        std::cout << "tinko-host " << TINKO_VERSION << std::endl;
        return Poco::Util::Application::EXIT_OK;
    }
    if (command == "--check-config") {
        try {
            for (const auto& line : config::describeSettings(config::loadHostSettings())) std::cout << line << "\n";
            std::cout << "configuration is valid" << std::endl;
            return Poco::Util::Application::EXIT_OK;
        } catch (const config::SettingsError& e) {
            std::cerr << "tinko-host: " << e.what() << std::endl;
            return Poco::Util::Application::EXIT_CONFIG;
        }
    }

    TinkoHost host;
    return host.run(argc, argv);
}
