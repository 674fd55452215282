import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieSession from 'cookie-session';
import { json, raw, urlencoded } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AppLogger } from './common/app-logger';
import { isRelayPath } from './common/relay-paths';
import { requestIdMiddleware } from './common/request-id';
import { RelayHttpEntry } from './modules/relay/relay-http-entry';
import { AppConfig, ConfigError } from './config/app-config';
import { runClusterPrimary } from './cluster-primary';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

function skipOnRelayPaths(middleware: Middleware): Middleware {
  return (req, res, next) => (isRelayPath(req.url) ? next() : middleware(req, res, next));
}

function readConfig(): AppConfig {
  try {
    return AppConfig.fromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function bootstrap(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: new AppLogger({ logLevels: ['error', 'warn', 'log'] }),
  });
  app.set('trust proxy', config.env.TRUSTED_PROXIES);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  const limit = `${config.env.MAX_REQUEST_BODY_MB}mb`;
  // Raw bytes are kept for payment webhooks, whose signatures cover the exact body.
  app.use(json({ limit, verify: (req, _res, buf) => ((req as unknown as { rawBody?: Buffer }).rawBody = buf) }));
  // Relay routes authenticate by API key and take JSON: sessions and form bodies are for the
  // management API only (on the relay they cost a content-type check, a session object and a
  // response-header hook per request).
  app.use(skipOnRelayPaths(urlencoded({ extended: true, limit })));
  // Uploads to the relay (image edits, transcriptions) are kept as bytes: forwarded as sent.
  app.use('/v1', raw({ type: 'multipart/form-data', limit }));
  app.use(
    skipOnRelayPaths(
      cookieSession({
        name: 'session',
        keys: [config.sessionSecret],
        maxAge: THIRTY_DAYS_MS,
        httpOnly: true,
        sameSite: 'strict',
        secure: false,
      }),
    ),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      transform: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
    }),
  );
  // OpenAPI document of the routes, built on first request: /api/docs (UI) and /api/docs-json.
  SwaggerModule.setup(
    'api/docs',
    app,
    () =>
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Your API')
          .setDescription("Management API (New API compatible, envelope {success, message, data}) and relay routes")
          .setVersion(process.env.npm_package_version ?? '0.1.0')
          .build(),
      ),
    { jsonDocumentUrl: 'api/docs-json', raw: ['json'] },
  );
  if (cluster.isWorker) {
    // The primary stops workers with SIGTERM; a terminal's Ctrl-C (SIGINT to the whole group)
    // must not start a second, competing shutdown in each worker.
    process.on('SIGINT', () => undefined);
    app.enableShutdownHooks(['SIGTERM']);
  } else {
    app.enableShutdownHooks();
  }
  // The relay's JSON routes are served in front of Express (see RelayHttpEntry); the rest as usual.
  app.get(RelayHttpEntry).install(app.getHttpServer(), app.getHttpAdapter().getInstance());
  await app.listen(config.env.PORT, '0.0.0.0');
  new Logger('Bootstrap').log(`Your API listening on :${config.env.PORT}`);
}

const config = readConfig();
if (cluster.isPrimary && config.env.CLUSTER_WORKERS > 1) {
  runClusterPrimary({ workers: config.env.CLUSTER_WORKERS, firstNodeType: config.env.NODE_TYPE, sessionSecret: config.env.SESSION_SECRET });
} else {
  bootstrap(config).catch((error: unknown) => {
    process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
