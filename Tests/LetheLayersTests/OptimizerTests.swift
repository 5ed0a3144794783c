import LetheLayers
import LetheTensor
import Testing

@Suite("Optimisers, schedules and clipping")
struct OptimizerTests {
    @Test func tenAdamWStepsReproduceTheTransformersTrajectory() throws {
        let fixture = try GPT2Fixture()
        let model = try fixture.model()
        let h = fixture.adamW
        let expectedLosses = (h["losses"] as? [Double]) ?? []
        let expectedRates = (h["learning_rates"] as? [Double]) ?? []
        let expectedNorms = (h["gradient_norms"] as? [Double]) ?? []
        let betas = (h["betas"] as? [Double]) ?? [0.9, 0.999]
        let optimizer = AdamW(
            parameters: model.parameters,
            configuration: .init(
                beta1: betas[0], beta2: betas[1], epsilon: (h["eps"] as? Double) ?? 1e-8,
                weightDecay: (h["weight_decay"] as? Double) ?? 0))
        let steps = (h["total_steps"] as? Int) ?? 10
        let schedule = LearningRateSchedule.cosine(warmupSteps: (h["warmup_steps"] as? Int) ?? 0, totalSteps: steps)
        let baseRate = (h["lr"] as? Double) ?? 0
        #expect(expectedLosses.count == steps + 1)
        for step in 0..<steps {
            let loss = try model.languageModelLoss(fixture.batch, labels: fixture.labels)
            #expect(abs(try loss.item() - expectedLosses[step]) < 1e-4 * max(1, expectedLosses[step]), "loss at step \(step)")
            let gradients = try model.parameters.gradients(of: loss)
            let norm = gradients.clipNorm(to: (h["clip_norm"] as? Double) ?? 1)
            #expect(abs(norm - expectedNorms[step]) < 1e-4 * max(1, expectedNorms[step]), "gradient norm at step \(step)")
            let rate = baseRate * schedule.multiplier(step: step)
            #expect(abs(rate - expectedRates[step]) < 1e-12, "learning rate at step \(step)")
            try optimizer.update(gradients: gradients, learningRate: rate)
        }
        let final = try withoutGradients { try model.languageModelLoss(fixture.batch, labels: fixture.labels).item() }
        #expect(abs(final - expectedLosses[steps]) < 1e-4 * max(1, expectedLosses[steps]))
    }

    @Test func adamWSkipsFrozenTensorsAndDecaysOnlyItsGroup() throws {
        let p = try NamedTensors(shapes: [("w", [2, 2]), ("b", [2]), ("frozen", [2, 2])])
        p.flat.fill(1)
        p.markTrainable(except: ["frozen"])
        let g = p.zerosLike()  // zero gradient: only weight decay moves anything
        let adam = AdamW(parameters: p, configuration: .init(weightDecay: 0.5))
        try adam.update(gradients: g, learningRate: 0.1)
        #expect(p["w"]?.floats == [0.95, 0.95, 0.95, 0.95])
        #expect(p["b"]?.floats == [1, 1])
        #expect(p["frozen"]?.floats == [1, 1, 1, 1])
    }

    @Test func sgdWithMomentumMatchesPyTorchsRule() throws {
        let p = try NamedTensors(shapes: [("x", [1])])
        p.flat.fill(1)
        p.markTrainable()
        let sgd = SGD(parameters: p, momentum: 0.9)
        var x = 1.0
        var buffer = 0.0
        for step in 0..<5 {
            // f(x) = x², gradient 2x
            let g = p.zerosLike()
            g.flat.fill(2 * x)
            try sgd.update(gradients: g, learningRate: 0.1)
            buffer = step == 0 ? 2 * x : 0.9 * buffer + 2 * x
            x -= 0.1 * buffer
            #expect(abs(Double(p.flat.floats[0]) - x) < 1e-6)
        }
    }

    @Test func schedulesFollowHuggingFace() {
        let linear = LearningRateSchedule.linear(warmupSteps: 2, totalSteps: 6)
        #expect((0..<7).map { linear.multiplier(step: $0) } == [0, 0.5, 1, 0.75, 0.5, 0.25, 0])
        let cosine = LearningRateSchedule.cosine(warmupSteps: 0, totalSteps: 4)
        #expect(abs(cosine.multiplier(step: 2) - 0.5) < 1e-12 && cosine.multiplier(step: 4) < 1e-12)
        #expect(LearningRateSchedule.constant.multiplier(step: 99) == 1)
    }

    @Test func clippingScalesOnlyAboveTheLimit() throws {
        let g = try NamedTensors(shapes: [("a", [2]), ("b", [1])])
        try g.flat.assign(Tensor([3, 0, 4] as [Float], shape: [3]))
        #expect(abs(g.clipNorm(to: 10) - 5) < 1e-9 && g.flat.floats == [3, 0, 4])
        g.clipNorm(to: 1)
        #expect(abs(g.norm() - 1) < 1e-5)
    }
}
