/**
 * The module the Pulumi Node.js language host loads when the plugin runs from source (PulumiPlugin.yaml
 * in this folder): it starts the provider exactly as bin/pulumi-resource-livevm does.
 */
import "./main";
