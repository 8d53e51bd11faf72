import type { DynamicModule, FactoryProvider } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { z } from 'zod';
import { validateWith } from './validate-env';

/** `ConfigModule.forRoot` validating the app's composed env slices: bad config stops start-up, named. */
export function configModuleFor(schema: z.ZodObject): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, validate: validateWith(schema) });
}

/** Provides the validated, typed config object under `token`, read back through ConfigService. */
export function typedConfigProvider<S extends z.ZodObject>(token: symbol, schema: S): FactoryProvider<z.infer<S>> {
  return {
    provide: token,
    inject: [ConfigService],
    useFactory: (config: ConfigService) =>
      Object.fromEntries(Object.keys(schema.shape).map((key) => [key, config.get<unknown>(key)])) as z.infer<S>,
  };
}
