"""alertctl: the command-line client of alertd, over the HTTP (and WebSocket) contract.

It is a client like any agency system: it knows nothing of the server's database or
code, only the contract in DESIGN.md ("The HTTP contract"). Modules, one concept each:

    cli.py        the root command, global options, exit-code handling
    context.py    what every command gets: the server address, output, token store
    errors.py     the error tree and the exit code of each error
    http.py       ApiClient: aiohttp requests, problem+json, refresh-and-retry on 401
    session.py    TokenStore (one 0600 file per server) and Session (refresh near expiry)
    wire.py       typed readers for the JSON the server answers
    output.py     tables, colour, --json, progress bars on stderr, screening results
    account.py    login, logout, whoami (and a hidden `refresh`)
    watchlist.py  the `watchlist` command group
    importing.py  turning a list file into the JSON Lines body of an import
    screen.py     `screen`: a traveller screened, as a crossing or pre-arrival
    listen.py     `listen`: live alerts over the WebSocket, resumed, renewed, reconnected
    alerts.py     the `alerts` command group: a desk's alerts listed, acknowledged, resolved
    audit.py      the `audit` command group: search, export (JSON Lines), verify the chain

Exit codes (scripts can rely on them; see errors.py):

    0  success
    1  refused: the server answered 4xx (validation, permission, conflict, not found,
       throttled), or an input file is invalid before anything was sent
    2  usage: bad command-line arguments or options
    3  not signed in: no stored session, the session expired or was revoked, or
       sign-in was refused (HTTP 401)
    4  unavailable: the server cannot be reached, timed out, answered 5xx, or answered
       something that is not the contract
    5  `audit verify` found the audit chain broken (the first broken seq is printed)
    70  internal error: a bug in alertctl (a traceback is printed)
    130 interrupted (Ctrl-C)
"""
