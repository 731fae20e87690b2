package burst

// GuardedClient exposes guarded to the tests.
var GuardedClient = guarded
