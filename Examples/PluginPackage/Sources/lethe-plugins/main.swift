import ExamplePlugins
import LetheCommands

// `lethe-plugins`: Lethe's command line with the example's plugins, and `compare-weights`.
Lethe.main(plugins: ExamplePlugins.all, root: LethePlugins.self)
