// tinko-host: reads its settings, assembles the components, serves until SIGTERM/SIGINT, then
// stops gracefully (readiness fails first, requests in flight finish, exit 0).
#include "api/AnalyticsApi.h"
#include "api/ConfigApi.h"
#include "api/EventsApi.h"
#include "api/HealthApi.h"
#include "api/OpsViewsApi.h"
#include "api/OrgsApi.h"
#include "api/PluginsApi.h"
#include "api/PoliciesApi.h"
#include "api/RecoveriesApi.h"
#include "api/RoutesApi.h"
#include "api/RulesApi.h"
#include "api/TemplatesApi.h"
#include "bus/PluginAnnouncements.h"
#include "bus/RedisProbe.h"
#include "config/HostSettings.h"
#include "config/SettingsReport.h"
#include "http/Authenticator.h"
#include "http/HttpServer.h"
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
#include "scheduler/RecoveryScheduler.h"
#include "scheduler/StepRunner.h"
#include "security/OpsCredential.h"
#include "security/SecretBox.h"
#include "security/SecretTokens.h"
#include "store/AnalyticsRollup.h"
#include "store/EmbeddedPostgres.h"
#include "store/HostSecretStore.h"
#include "store/OrgConfigStore.h"
#include "store/MigrationRunner.h"
#include "store/OrgStore.h"
#include "store/PgPool.h"
#include "store/PluginCatalog.h"
#include "store/PolicyStore.h"
#include "store/LinkStore.h"
#include "store/RecoveryStore.h"
#include "store/RuleStore.h"
#include "store/StepStore.h"
#include "store/WebhookStore.h"
#include "web/OpsConsole.h"
#include "web/RecoveryPages.h"
#include "api/WebhooksApi.h"
#include "store/PgConnection.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"
#include "util/PeriodicTask.h"

#include <Poco/Thread.h>
#include <Poco/Util/ServerApplication.h>

#include <cstdlib>
#include <csignal>
#include <iostream>
#include <memory>

using namespace tinko;

namespace {

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
    int serve(const config::HostSettings& settings) {
        // Only this user (and, for the embedded cluster run as postgres, that user's group, to
        // traverse) may enter the data directory: it holds the secret key and staged plugins.
        util::ensurePrivateDirectory(settings.dataDir, settings.database.url ? std::nullopt : store::embeddedClusterGroup());
        std::unique_ptr<store::EmbeddedPostgres> embedded;
        std::string databaseUrl;
        if (settings.database.url) {
            databaseUrl = store::normalizedConnectionString(*settings.database.url, settings.database.connectTimeoutSeconds);
            store::waitForDatabase(databaseUrl, settings.database.startupWaitSeconds);
        } else {
            embedded = std::make_unique<store::EmbeddedPostgres>(store::EmbeddedPostgresSettings{settings.dataDir, "", "tinko", true});
            embedded->start();
            databaseUrl = store::normalizedConnectionString(embedded->connectionString(), settings.database.connectTimeoutSeconds);
        }
        auto migrations = store::MigrationRunner(databaseUrl).run(store::readMigrationFiles(settings.database.migrationsDir));
        log::info("tinko.store.migrations", "schema is current",
                  {{"applied_now", std::to_string(migrations.applied.size())},
                   {"already_applied", std::to_string(migrations.alreadyApplied)}});

        store::PgPool pool(databaseUrl, settings.database.poolSize, 5000, settings.database.queryTimeoutMs);
        store::HostSecretStore hostSecrets(pool);
        store::OrgStore orgs(pool);

        auto ops = security::establishOpsCredential(settings.opsToken, hostSecrets);
        if (ops.newlyGenerated) printOnce(*ops.newlyGenerated);
        bool keyGenerated = false;
        const auto secretBox = security::SecretBox::fromSettingOrFile(settings.secretKey ? &*settings.secretKey : nullptr,
                                                                      settings.dataDir + "/secret.key", keyGenerated);
        if (keyGenerated)
            log::warn("tinko.host", "TINKO_SECRET_KEY is unset: generated a key for plugin secrets into the data directory; "
                                    "set TINKO_SECRET_KEY (the same on every host) to keep secrets readable",
                      {{"file", settings.dataDir + "/secret.key"}});
        store::OrgConfigStore orgConfigStore(pool);
        store::PolicyStore policies(pool);
        store::RuleStore rules(pool);
        store::TemplateStore templates(pool);
        store::AnalyticsStore analytics(pool);
        store::RecoveryStore recoveries(pool);

        http::Metrics metrics;
        auto redis = settings.redisUrl ? bus::parseRedisUrl(*settings.redisUrl) : std::nullopt;

        plugins::PluginRegistry pluginRegistry([&metrics](const plugins::PluginGeneration& g, plugins::Operation op,
                                                          const plugins::PluginAnswer& answer) {
            metrics.addToCounter("tinko_plugin_calls_total", "Plugin calls by plugin, generation, operation and outcome.",
                                 "plugin=\"" + g.descriptor().name + "\",generation=\"" + std::to_string(g.number()) +
                                     "\",operation=\"" + plugins::operationName(op) + "\",outcome=\"" +
                                     (answer.ok ? "ok" : plugins::errorCategoryName(answer.error.category)) + "\"");
        });
        metrics.addGaugeSource("tinko_plugin_libraries_resident_after_unload",
                               "Plugin libraries the OS kept mapped after their generation was destroyed.",
                               [] { return static_cast<double>(plugins::residentAfterUnloadCount()); });
        metrics.addGaugeSource("tinko_plugin_generations_draining", "Replaced plugin generations still finishing calls.",
                               [&pluginRegistry] { return static_cast<double>(pluginRegistry.drainingCount()); });
        auto outbound = std::make_shared<plugins::Outbound>(plugins::OutboundSettings{
            settings.caFile, settings.egress.timeoutMs, settings.egress.allow, settings.egress.maxResponseBytes});
        plugins::cleanStagingDirectory(settings.dataDir + "/plugin-staging");
        plugins::PluginLoader pluginLoader(settings.dataDir + "/plugin-staging", outbound, pluginRegistry);
        store::PluginCatalog pluginCatalog(databaseUrl);
        std::unique_ptr<bus::PluginAnnouncements> announcements;
        plugins::PluginManager pluginManager(pluginLoader, pluginRegistry, pluginCatalog,
                                             [&announcements](const std::string& name) { announcements->announce(name); });
        announcements = std::make_unique<bus::PluginAnnouncements>(redis, [&pluginManager] {
            try {
                pluginManager.reconcile();
            } catch (const std::exception& e) {
                log::warn("tinko.plugins", "reconcile failed; retrying later", {{"error", e.what()}});
            }
        });
        pluginManager.loadDirectory(settings.pluginDir);
        announcements->start();

        plugins::OrgPluginConfigs orgPluginConfigs(orgConfigStore, secretBox);
        recovery::DeclineClassifier classifier(pluginRegistry, orgPluginConfigs);
        recovery::FailureIntake intake(classifier, policies, rules, recoveries);
        store::LinkStore linkStore(pool);
        store::StepStore stepStore(pool);
        store::NotificationStore notificationStore(pool);
        store::WebhookStore webhookStore(pool);
        security::WebhookVerificationGuard webhookVerifications(
            {static_cast<double>(settings.webhooks.verificationsPerSecond), static_cast<double>(settings.webhooks.verificationBurst)});

        api::Readiness readiness;
        readiness.addCheck("database", [&pool] { return pool.ping(); });
        if (redis) readiness.addCheck("redis", [redis] { return bus::pingRedis(*redis, 1000); });

        http::Router router;
        store::ApiKeyOwners keyOwners(pool);
        http::Authenticator authenticator(ops.sha256, [&keyOwners](const std::string& digest) -> std::optional<http::Caller> {
            auto owner = keyOwners.find(digest);
            if (!owner) return std::nullopt;
            return http::Caller{http::Caller::Kind::Org, owner->orgId, owner->orgSlug};
        });
        http::RequestDispatcher dispatcher(router, authenticator);
        // Bound before the routes are made: with port 0 the public URL is known only now.
        http::HttpServer server(settings.http, dispatcher, metrics);
        const std::string base = "http://" + settings.http.host + ":" + std::to_string(server.port());
        const std::string publicUrl = settings.publicUrl.empty() ? base : settings.publicUrl;
        recovery::RecoveryLinks links(linkStore, publicUrl);

        api::registerHealthRoutes(router, readiness);
        // /metrics: behind the ops token here, or without credentials on its own listener only.
        http::Router metricsRouter;
        std::unique_ptr<http::RequestDispatcher> metricsDispatcher;
        std::unique_ptr<http::HttpServer> metricsServer;
        if (settings.metricsListen) {
            api::registerMetricsRoute(metricsRouter, metrics, http::Access::Public);
            metricsDispatcher = std::make_unique<http::RequestDispatcher>(metricsRouter, authenticator);
            config::HttpSettings listen;
            listen.host = settings.metricsListen->host;
            listen.port = settings.metricsListen->port;
            listen.maxThreads = 8;
            listen.maxQueued = 64;
            listen.maxBodyBytes = 1024;
            metricsServer = std::make_unique<http::HttpServer>(listen, *metricsDispatcher, metrics);
        } else {
            api::registerMetricsRoute(router, metrics, http::Access::Ops);
        }
        api::registerOrgRoutes(router, orgs);
        api::registerPluginRoutes(router, pluginManager, pluginRegistry);
        api::registerConfigRoutes(router, orgPluginConfigs, orgConfigStore, pluginRegistry, outbound->policy());
        api::registerPolicyRoutes(router, policies);
        api::registerRuleRoutes(router, rules, policies, templates);
        api::registerTemplateRoutes(router, templates);
        api::registerEventRoutes(router, intake, classifier, recoveries, metrics);
        api::registerRecoveryRoutes(router, recoveries, notificationStore, links);
        api::registerAnalyticsRoutes(router, analytics);
        api::registerOpsViewRoutes(router, orgs, recoveries, analytics);
        api::registerWebhookRoutes(router, orgs, orgPluginConfigs, pluginRegistry, intake, recoveries, webhookStore,
                                   notificationStore, webhookVerifications, publicUrl, metrics);
        web::registerRecoveryPages(router, linkStore, recoveries, orgPluginConfigs, pluginRegistry, outbound->policy(),
                                   publicUrl);
        web::registerOpsConsole(router);
        api::registerRouteListing(router);

        scheduler::StepRunner stepRunner({settings.scheduler.retrySeconds, 3600, publicUrl}, pluginRegistry, orgPluginConfigs, stepStore,
                                         notificationStore, recoveries, templates, links, metrics);
        scheduler::RecoveryScheduler recoveryScheduler(
            {settings.scheduler.workers, settings.scheduler.pollMilliseconds, 16, settings.scheduler.leaseSeconds},
            "host-" + security::newSecretToken("", 6), stepStore, stepRunner, metrics);

        // Keeps the analytics deltas small (answers are exact either way, see store/AnalyticsRollup.h).
        store::AnalyticsRollup rollup(pool);
        util::PeriodicTask analyticsFolding("analytics-fold", std::chrono::milliseconds(settings.scheduler.analyticsFoldMilliseconds),
                                            [&rollup] { rollup.foldBacklog(); });

        if (metricsServer) {
            metricsServer->start();
            const std::string& mh = settings.metricsListen->host;
            const std::string metricsUrl = "http://" + (mh.find(':') != std::string::npos ? "[" + mh + "]" : mh) + ":" + std::to_string(metricsServer->port());
            log::info("tinko.host", "metrics listening", {{"url", metricsUrl + "/metrics"}});
            std::cout << "tinko-host metrics on " << metricsUrl << "/metrics" << std::endl;
        }
        server.start();
        recoveryScheduler.start();
        analyticsFolding.start();
        log::info("tinko.host", "listening", {{"url", base}, {"public_url", publicUrl},
                                              {"database", embedded ? "embedded" : store::redactConnectionString(databaseUrl)}});
        std::cout << "tinko-host " << TINKO_VERSION << " listening on " << base << std::endl;

        waitForTerminationRequest();

        log::info("tinko.host", "stopping: readiness now fails",
                  {{"delay_seconds", std::to_string(settings.shutdown.readinessDelaySeconds)}});
        readiness.beginShutdown();
        Poco::Thread::sleep(settings.shutdown.readinessDelaySeconds * 1000);
        bool clean = server.drain(settings.shutdown.drainTimeoutSeconds);
        if (metricsServer) metricsServer->drain(1);
        const int stillBusy = server.activeConnections();
        log::info("tinko.host", clean ? "requests in flight finished" : "drain timed out; remaining connections cut",
                  {{"connections_left", std::to_string(stillBusy)}});
        recoveryScheduler.stop();
        analyticsFolding.stop();
        announcements->stop();
        pluginRegistry.shutdown();
        if (embedded) embedded->stop();
        log::info("tinko.host", "stopped");
        if (stillBusy > 0) {
            // A handler busy elsewhere than on its (now shut) socket: the server's thread pool
            // would wait for it on the way out, and the shutdown timeout would promise nothing.
            std::cout.flush();
            std::cerr.flush();
            std::_Exit(EXIT_OK);
        }
        return EXIT_OK;
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
