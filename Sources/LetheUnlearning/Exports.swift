/// Plugin authors write `import LetheUnlearning` and get the option types (PluginOptions,
/// PluginChoice, Registry) with it.
@_exported import LetheOptions
