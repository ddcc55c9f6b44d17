// Seed 000 Appendix A: the EngineState machine.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "core/logging.hpp"
#include "engine/engine_state.hpp"

namespace te {
namespace {

constexpr EngineState kAll[] = {EngineState::Created, EngineState::Initialized, EngineState::Running,
                                EngineState::Stopping, EngineState::Stopped};

TEST(EngineState, OnlyTheFourTransitionsOfAppendixAAreValid) {
    int valid = 0;
    for (auto from : kAll)
        for (auto to : kAll) valid += EngineStateMachine::is_valid(from, to);
    EXPECT_EQ(valid, 4);
    EXPECT_TRUE(EngineStateMachine::is_valid(EngineState::Created, EngineState::Initialized));
    EXPECT_TRUE(EngineStateMachine::is_valid(EngineState::Initialized, EngineState::Running));
    EXPECT_TRUE(EngineStateMachine::is_valid(EngineState::Running, EngineState::Stopping));
    EXPECT_TRUE(EngineStateMachine::is_valid(EngineState::Stopping, EngineState::Stopped));
}

TEST(EngineState, FullLifecycle) {
    EngineStateMachine sm;
    EXPECT_EQ(sm.state(), EngineState::Created);
    sm.transition(EngineState::Initialized);
    sm.transition(EngineState::Running);
    sm.transition(EngineState::Stopping);
    sm.transition(EngineState::Stopped);
    EXPECT_EQ(sm.state(), EngineState::Stopped);
    EXPECT_EQ(sm.total_transitions(), 4u);
    for (const auto& [name, n] : sm.transition_counts()) EXPECT_EQ(n, 1u) << name;
}

TEST(EngineState, CreatedToRunningRaisesAndStateUnchanged) {
    EngineStateMachine sm;
    try {
        sm.transition(EngineState::Running);
        FAIL() << "expected StateTransitionError";
    } catch (const StateTransitionError& e) {
        EXPECT_NE(std::string(e.what()).find("CREATED -> RUNNING"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("set_components"), std::string::npos);
    }
    EXPECT_EQ(sm.state(), EngineState::Created);
    EXPECT_EQ(sm.invalid_attempts(), 1u);
    EXPECT_EQ(sm.total_transitions(), 0u);
}

TEST(EngineState, InitializedToStoppedRaises) {
    EngineStateMachine sm;
    sm.transition(EngineState::Initialized);
    EXPECT_THROW(sm.transition(EngineState::Stopped), StateTransitionError);
    EXPECT_EQ(sm.state(), EngineState::Initialized);
}

TEST(EngineState, NoStateReturnsToCreated) {
    for (auto s : kAll) {
        EngineStateMachine sm;
        for (auto step : kAll) {
            if (step == s) break;
            if (EngineStateMachine::is_valid(sm.state(), step)) sm.transition(step);
        }
        const auto before = sm.state();
        EXPECT_THROW(sm.transition(EngineState::Created), StateTransitionError);
        EXPECT_EQ(sm.state(), before);
    }
}

TEST(EngineState, EveryInvalidPairRaisesAndKeepsState) {
    // Walk a machine to each state, then try every invalid target.
    const EngineState path[] = {EngineState::Initialized, EngineState::Running, EngineState::Stopping,
                                EngineState::Stopped};
    for (int depth = 0; depth <= 4; ++depth) {
        for (auto to : kAll) {
            EngineStateMachine sm;
            for (int i = 0; i < depth; ++i) sm.transition(path[i]);
            const auto from = sm.state();
            if (EngineStateMachine::is_valid(from, to)) continue;
            EXPECT_THROW(sm.transition(to), StateTransitionError) << to_string(from) << "->" << to_string(to);
            EXPECT_EQ(sm.state(), from);
        }
    }
}

TEST(EngineState, TransitionIsLoggedWithFromToTimestampUptime) {
    const std::string path = ::testing::TempDir() + "/engine_state_log.jsonl";
    std::remove(path.c_str());
    log::configure({log::Level::Info, true, path});
    EngineStateMachine sm("engine");
    sm.transition(EngineState::Initialized);
    log::flush();
    log::configure({log::Level::Warn, false, ""});
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto text = ss.str();
    EXPECT_NE(text.find("\"msg\":\"state transition\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"from\":\"CREATED\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"to\":\"INITIALIZED\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"timestamp_ns\":"), std::string::npos) << text;
    EXPECT_NE(text.find("\"uptime_s\":"), std::string::npos) << text;
    EXPECT_EQ(sm.transition_counts().at("CREATED->INITIALIZED"), 1u);
}

TEST(EngineState, TransitionIfIsConditional) {
    EngineStateMachine sm;
    EXPECT_FALSE(sm.transition_if(EngineState::Initialized, EngineState::Running));
    EXPECT_TRUE(sm.transition_if(EngineState::Created, EngineState::Initialized));
    EXPECT_EQ(sm.state(), EngineState::Initialized);
}

}  // namespace
}  // namespace te
