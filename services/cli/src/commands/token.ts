import { mintDevToken, type Role } from '@small-steps/api';
import { loadOrExit } from './open.ts';

interface TokenOptions {
  role: Role;
  la: string;
  schoolUrn?: string;
  sub: string;
  expires: string;
}

export async function tokenCommand(options: TokenOptions): Promise<void> {
  const config = loadOrExit();
  if (config.env === 'production' || !config.auth.secret) {
    process.stderr.write('Development tokens are refused in production: tokens come from your identity provider.\n');
    process.exit(2);
  }
  if (options.role === 'school_staff' && !options.schoolUrn) {
    process.stderr.write('--school-urn is required for the school_staff role.\n');
    process.exit(2);
  }
  const token = await mintDevToken(
    {
      id: options.sub,
      role: options.role,
      tenant: options.la,
      ...(options.schoolUrn ? { schoolUrn: options.schoolUrn } : {}),
    },
    {
      secret: config.auth.secret,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      expiresIn: options.expires,
    },
  );
  process.stdout.write(`${token}\n`);
}
