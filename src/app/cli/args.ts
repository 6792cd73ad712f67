import { ConfigError } from "../errors.js";

export const COMMANDS = [
  "run",
  "cycle",
  "import",
  "submit",
  "collect",
  "confirm",
  "purge",
  "backup",
  "restore",
  "status",
  "orders show",
  "config check",
  "keys init",
  "keys rotate",
] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  readonly command?: Command;
  readonly operands: readonly string[];
  readonly config?: string;
  readonly now?: Date;
  readonly json: boolean;
  readonly pii: boolean;
  /** With `keys rotate`: write the new key-encryption key here instead of over storage.keyFile. */
  readonly newKeyFile?: string;
  /** With `purge`: count and report, delete nothing. */
  readonly dryRun: boolean;
  /** With `purge`: go ahead despite a clock jump. */
  readonly force: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

/** A usage mistake: exit status 2, nothing done. */
export class UsageError extends ConfigError {
  constructor(message: string) {
    super(`${message}\nRun \`fulfillment --help\` for the commands and options.`);
    this.name = "UsageError";
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseNow(value: string | undefined): Date {
  if (!value || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(
      `--now needs an ISO-8601 instant with a time zone, e.g. 2026-12-04T09:30:00Z (got "${value ?? ""}")`,
    );
  }
  return new Date(value);
}

/** Global options are accepted before or after the command (spec/operator.md). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const words: string[] = [];
  let config: string | undefined;
  let now: Date | undefined;
  let json = false;
  let pii = false;
  let newKeyFile: string | undefined;
  let dryRun = false;
  let force = false;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case "--config":
        config = value();
        break;
      case "--now":
        now = parseNow(value());
        break;
      case "--json":
        json = true;
        break;
      case "--pii":
        pii = true;
        break;
      case "--new-key-file":
        newKeyFile = value();
        break;
      case "--dry-run":
        dryRun = true;
        break;
      case "--force":
        force = true;
        break;
      case "--help":
      case "-h":
        help = true;
        break;
      case "--version":
      case "-V":
        version = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
        words.push(arg);
    }
  }
  const base = {
    config,
    now,
    json,
    pii,
    dryRun,
    force,
    help,
    version,
    ...(newKeyFile ? { newKeyFile } : {}),
  };
  if (words.length === 0) return { ...base, operands: [] };
  const two = `${words[0]} ${words[1] ?? ""}`;
  const command = (COMMANDS as readonly string[]).includes(two) ? two : words[0];
  if (!(COMMANDS as readonly string[]).includes(command ?? "")) {
    const suggestions: Record<string, string> = {
      orders: '"orders show"',
      config: '"config check"',
      keys: '"keys init" or "keys rotate"',
    };
    const suggestion = suggestions[words[0] ?? ""];
    const hint = suggestion ? `; did you mean ${suggestion}?` : "";
    throw new UsageError(`unknown command "${words.join(" ")}"${hint}`);
  }
  const operands = words.slice((command ?? "").split(" ").length);
  return { ...base, command: command as Command, operands };
}

export const HELP = `fulfillment — Amazon merchant-fulfilled orders, drop-shipped through Essendant

Usage: fulfillment [options] <command>

Commands:
  run                      the daemon: runs the configured schedules until SIGTERM/SIGINT
  cycle                    one full pass (import, submit, collect, confirm), then exit
  import                   pull new and changed orders from Amazon
  submit                   build purchase orders and upload them to Essendant
  collect                  read Essendant's acknowledgements, ship notices and invoices
  confirm                  confirm shipped packages to Amazon
  purge [--dry-run] [--force]   the daily retention job: expired ship-tos and their keys, backups
                           older than retention.backupDays, log files older than retention.logDays
  backup                   an encrypted snapshot of the database into storage.backupDir
  restore FILE             replace the database with a backup (daemon stopped); purged PII stays purged
  status                   order counts per state, held orders, alerts, last runs (no PII)
  orders show ORDER_ID     one order's timeline; --pii also shows the ship-to (audited)
  config check             validate the configuration, SKU map and file permissions
  keys init                create the key file (storage.keyFile, mode 0600) that protects the stored ship-tos
  keys rotate              wrap every data key under a new key file (--new-key-file FILE, or in place)

Options (before or after the command):
  --config FILE            configuration file (default $FULFILLMENT_CONFIG, else config/fulfillment.json)
  --now ISO-8601           act at this instant instead of the clock (refused by run)
  --json                   machine-readable output
  --pii                    with "orders show": include the ship-to while it is held
  --new-key-file FILE      with "keys rotate": write the new key there instead of over storage.keyFile
  --dry-run                with "purge": say what would be deleted, delete nothing
  --force                  with "purge": run although the clock jumped since the last purge (check it first)
  --help, --version

Exit status: 0 success, 1 the work failed (details printed), 2 usage or configuration error (nothing done).
`;
