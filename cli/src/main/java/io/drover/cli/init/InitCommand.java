package io.drover.cli.init;

import io.drover.cli.client.SafeText;
import io.drover.cli.options.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drover init NAME}: a ready job project (see {@link ProjectGenerator}). Works offline. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Create a Maven project for a Drover job: the SDK dependency, a fat-jar build, an example "
                + "sharded job with a reduce step, its unit test (run locally by LocalJobRunner) and a README with "
                + "the command that submits it.",
            "The directory must not exist or be empty: nothing is ever overwritten."},
        footer = {"", "Example:", "  drover init my-job --package com.example.myjob",
            "  cd my-job && mvn package     # my-job/README.md: get the SDK first"})
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME",
            description = "Project name: lower-case letters, digits and hyphens (the artifactId and the jar's name).")
    String name;

    @Option(names = "--package", paramLabel = "PACKAGE",
            description = "Java package of the job classes (default: com.example.NAME without hyphens).")
    String packageName;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the project (default: ./NAME).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        JobProject project;
        try {
            project = JobProject.of(name, packageName);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Path target = dir != null ? dir : Path.of(project.name());
        ProjectGenerator generator = ProjectGenerator.ofThisRelease();
        try {
            generator.generate(project, target);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        String shown = SafeText.of(target.toString());
        out.println("created " + shown + ": job " + project.jobClass() + ", its unit test, a fat-jar build "
                + "(SDK io.drover:drover-sdk:" + SafeText.of(generator.droverVersion()) + ")");
        out.println("next: make the SDK resolvable (" + shown + "/README.md, step 1), then");
        out.println("  cd " + shown + " && mvn package");
        out.println("  drover submit --jar target/" + project.name() + ".jar --class " + project.jobClass()
                + " --shards 4 --arg 1000000 --reduce --wait --codec int64");
        out.flush();
        return 0;
    }
}
