// Minimal Pulumi Node.js language host ("pulumi-language-nodejs") for the
// opentwin-iac toolchain.
//
// Why this exists: the upstream language host lives in the nested Go module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which the
// Go module proxy reachable from our machines refuses to serve (403 "This
// module version is not available", for the version list, v3.276.0 and every
// query tried; see docs/toolchain.md). Without a language host the engine
// cannot run a `runtime: nodejs` program at all, so scripts/toolchain/engine.sh
// builds this small replacement against github.com/pulumi/pulumi/sdk/v3 at the
// pinned engine version.
//
// It implements the parts of the LanguageRuntime gRPC service that `pulumi
// preview|up|destroy|refresh|stack|about` need: Handshake, GetPluginInfo,
// GetRequiredPlugins (scans node_modules for Pulumi resource packages), Run
// (spawns `node node_modules/@pulumi/pulumi/cmd/run ...` exactly as the
// upstream host does, with TypeScript handled by @pulumi/pulumi through ts-node
// and the project's own typescript), About and GetProgramDependencies.
// Everything else (pulumi new/convert/package gen-sdk, policy packs, Node.js
// component providers via RunPlugin) answers Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Version is set with -ldflags "-X main.Version=..." to the engine version.
var Version = "v0.0.0-dev"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	nodeBin       string
}

func main() {
	// The engine passes the engine address as the last positional argument and
	// may pass runtime options as -key=value flags; accept and ignore unknown flags.
	var positional []string
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-") {
			continue
		}
		positional = append(positional, a)
	}
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "-version" || os.Args[1] == "version") {
		fmt.Println(Version)
		return
	}
	engineAddress := ""
	if len(positional) > 0 {
		engineAddress = positional[len(positional)-1]
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not find node on the $PATH: %v\n", err)
		os.Exit(1)
	}

	cancel := make(chan bool)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-sigs; close(cancel) }()

	h := &host{engineAddress: engineAddress, nodeBin: nodeBin}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start RPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// programDir returns the directory holding the program (falls back to pwd).
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if pwd != "" {
		return pwd
	}
	wd, _ := os.Getwd()
	return wd
}

// findUp walks from dir towards / and returns the first dir/rel that exists.
func findUp(dir, rel string) (string, bool) {
	dir, _ = filepath.Abs(dir)
	for {
		cand := filepath.Join(dir, rel)
		if _, err := os.Stat(cand); err == nil {
			return cand, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return &p, nil
}

// resourcePlugins lists the Pulumi resource plugins declared by the packages in
// the node_modules directory nearest to dir (top level and @scope/ level only).
func resourcePlugins(dir string) ([]*pulumirpc.PluginDependency, error) {
	nm, ok := findUp(dir, "node_modules")
	if !ok {
		return nil, nil
	}
	var pkgDirs []string
	entries, err := os.ReadDir(nm)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(nm, name)
		if strings.HasPrefix(name, "@") {
			sub, err := os.ReadDir(p)
			if err != nil {
				continue
			}
			for _, s := range sub {
				pkgDirs = append(pkgDirs, filepath.Join(p, s.Name()))
			}
			continue
		}
		pkgDirs = append(pkgDirs, p)
	}
	seen := map[string]bool{}
	var out []*pulumirpc.PluginDependency
	for _, d := range pkgDirs {
		p, err := readPackageJSON(filepath.Join(d, "package.json"))
		if err != nil || !p.Pulumi.Resource {
			continue
		}
		name := p.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(strings.TrimPrefix(p.Name, "@pulumi/"), "@")
		}
		version := p.Pulumi.Version
		if version == "" {
			version = p.Version
		}
		if version != "" && !strings.HasPrefix(version, "v") {
			version = "v" + version
		}
		key := name + "@" + version
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, &pulumirpc.PluginDependency{
			Name: name, Kind: "resource", Version: version, Server: p.Pulumi.Server,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

//nolint:staticcheck // GetRequiredPlugins is deprecated upstream but still the engine's fallback.
func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	plugins, err := resourcePlugins(programDir(req.GetInfo(), req.GetPwd()))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		p, ok := findUp(dir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run"))
		if !ok {
			return &pulumirpc.RunResponse{Error: "It looks like the Pulumi SDK has not been installed " +
				"(no node_modules/@pulumi/pulumi above " + dir + "). Have you run npm install?"}, nil
		}
		runPath = p
	}

	args := []string{runPath}
	add := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	if info != nil {
		add("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	program := "."
	if info != nil && info.GetEntryPoint() != "" && info.GetEntryPoint() != "." {
		program = filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
	} else if info != nil && info.GetProgramDirectory() != "" {
		program = info.GetProgramDirectory()
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
	)
	if req.GetConfigPropertyMap() != nil {
		if b, err := req.GetConfigPropertyMap().MarshalJSON(); err == nil {
			env = append(env, "PULUMI_CONFIG_PROPERTY_MAP="+string(b))
		}
	}
	// TypeScript is on unless the project says `typescript: false` (upstream default).
	typescript := true
	if info != nil && info.GetOptions() != nil {
		if v, ok := info.GetOptions().GetFields()["typescript"]; ok {
			switch k := v.GetKind().(type) {
			case *structpb.Value_BoolValue:
				typescript = k.BoolValue
			case *structpb.Value_StringValue:
				typescript = k.StringValue != "false"
			}
		}
		if v, ok := info.GetOptions().GetFields()["tsconfig"]; ok && v.GetStringValue() != "" {
			env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v.GetStringValue())
		}
	}
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript))

	nodeArgs := []string{}
	if info != nil && info.GetOptions() != nil {
		if v, ok := info.GetOptions().GetFields()["nodeargs"]; ok && v.GetStringValue() != "" {
			nodeArgs = strings.Fields(v.GetStringValue())
		}
	}
	cmd := exec.CommandContext(ctx, h.nodeBin, append(nodeArgs, args...)...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Env = env
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			// Code 32 is @pulumi/pulumi's "error already reported" exit code: bail quietly.
			if exitErr.ExitCode() == 32 {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command(h.nodeBin, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: h.nodeBin, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	pj, ok := findUp(dir, "package.json")
	if !ok {
		return &pulumirpc.GetProgramDependenciesResponse{}, nil
	}
	p, err := readPackageJSON(pj)
	if err != nil {
		return nil, err
	}
	root := filepath.Dir(pj)
	names := map[string]bool{}
	for n := range p.Dependencies {
		names[n] = true
	}
	for n := range p.DevDependencies {
		names[n] = true
	}
	var deps []*pulumirpc.DependencyInfo
	for n := range names {
		version := p.Dependencies[n]
		if version == "" {
			version = p.DevDependencies[n]
		}
		if inst, err := readPackageJSON(filepath.Join(root, "node_modules", n, "package.json")); err == nil {
			version = inst.Version
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: version})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}
