# shellcheck shell=bash
# Source this file to use the toolchain built by scripts/toolchain/engine.sh:
#   source scripts/toolchain/env.sh
# Puts $CACHE/bin first on PATH and keeps the Pulumi engine offline and inside
# the cache. Safe to source more than once; does not change shell options.
OPENTWIN_TOOLCHAIN_CACHE="${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}"
export OPENTWIN_TOOLCHAIN_CACHE
case ":$PATH:" in
  *":$OPENTWIN_TOOLCHAIN_CACHE/bin:"*) ;;
  *) export PATH="$OPENTWIN_TOOLCHAIN_CACHE/bin:$PATH" ;;
esac
# Plugins, workspace settings and credentials live in the cache, not in ~/.pulumi.
export PULUMI_HOME="$OPENTWIN_TOOLCHAIN_CACHE/pulumi-home"
# Never download a plugin. engine.sh installs the provider plugins it built into
# $PULUMI_HOME/plugins/resource-<name>-v<version>/, and the engine picks them by the
# version the SDK asks for; ignoring $PATH for plugins avoids a "using
# pulumi-resource-<name> from $PATH" warning per plugin. (Unset
# PULUMI_IGNORE_AMBIENT_PLUGINS and the engine takes pulumi-resource-<name> from
# $CACHE/bin on PATH instead, whatever its version.) The language host
# pulumi-language-nodejs and pulumi-resource-pulumi-nodejs are found next to pulumi.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
export PULUMI_SKIP_UPDATE_CHECK=true
